package dev.modelsel.engine.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code modelsel version}: what {@code modelsel --version} prints, for those who type it as a word. */
@Command(name = "version", mixinStandardHelpOptions = true, description = "Prints modelsel's version.")
final class VersionCommand implements Runnable
{
    @Spec
    CommandSpec spec;

    @Override
    public void run()
    {
        spec.parent().commandLine().printVersionHelp(spec.commandLine().getOut());
    }
}

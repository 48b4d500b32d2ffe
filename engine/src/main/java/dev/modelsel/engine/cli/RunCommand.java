package dev.modelsel.engine.cli;

import dev.modelsel.catalog.CompiledCatalog;
import dev.modelsel.engine.Selector;
import dev.modelsel.engine.cost.CountersFullException;
import dev.modelsel.engine.limits.InMemoryLimitsStore;
import dev.modelsel.engine.limits.LimitsStore;
import dev.modelsel.engine.availability.AvailabilityTable;
import dev.modelsel.engine.cost.PhaseCounters;
import dev.modelsel.engine.protocol.RunLoop;
import dev.modelsel.engine.protocol.RunSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.Callable;

/** {@code modelsel run}: the scriptable JSON-lines protocol of SPEC §4 on stdin and stdout. */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = {
        "Answers JSON requests on stdin, one JSON line for each non-blank line (docs/SPEC.md section 4).",
        "Ops: select, escalate, rate_limited, set_down, set_up, set_rate_limited (see docs/SPEC.md section 4), and " +
            "record (a phase's outcome: category, complexity, initial_tier, final_tier, model, input_tokens, " +
            "output_tokens, success, optional quality_score and attempt), answered {\"status\": \"OK\", \"cost_usd\": x}.",
        "Without --availability the availability table is private to this run and starts empty.",
        "A --catalog file that changes is reloaded between requests (availability carries over).",
        "A shared table or counters file deleted or replaced while it runs is opened again at its path (said once " +
            "on stderr); while it cannot be, requests that need it are answered ERROR."})
final class RunCommand implements Callable<Integer>
{
    @Mixin
    CatalogSource catalog;

    @Mixin
    TableSource availability;

    @Mixin
    CountersSource counters;

    @Override
    public Integer call()
    {
        final String stdinRefusal = StdinCheck.refusal();
        if (stdinRefusal != null)
        {
            throw new UserError(UserError.FAILED, stdinRefusal);
        }
        final CompiledCatalog compiled = catalog.load().compile();
        // The raw descriptors: System.in/out add a lock and a buffer each, and out would flush per line.
        try (AvailabilityTable table = availability.openFollowed();
            PhaseCounters phases = counters.openFollowed();
            FileInputStream in = new FileInputStream(FileDescriptor.in))
        {
            // SPEC §7: with --counters, limits live in the counters file every process shares; else in this process
            final Selector selector;
            try
            {
                selector = Selector.create(compiled, table,
                    phases instanceof LimitsStore shared ? shared : new InMemoryLimitsStore());
            }
            catch (final CountersFullException ex) // no room for the catalog's buckets and budgets
            {
                throw new UserError(UserError.FAILED, ex.getMessage());
            }
            final RunSession session = new RunSession(selector, System::currentTimeMillis,
                catalog.file == null ? () -> { } : new CatalogWatcher(catalog.file, selector, System.err), phases);
            final OutputStream out = new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 64 * 1024);
            RunLoop.run(in, out, session);
        }
        catch (final IOException ex)
        {
            throw new UserError(UserError.FAILED, "run stopped: " + ex.getMessage());
        }
        return 0;
    }
}

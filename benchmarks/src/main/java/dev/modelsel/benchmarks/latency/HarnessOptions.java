package dev.modelsel.benchmarks.latency;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/** {@code --name value} arguments of a harness, each with a default; an unknown name is refused with the known ones. */
final class HarnessOptions
{
    private final Map<String, String> values = new HashMap<>();

    HarnessOptions(final String[] args, final Map<String, String> defaults)
    {
        values.putAll(defaults);
        final Set<String> known = defaults.keySet();
        for (int i = 0; i < args.length; i++)
        {
            final String name = args[i].startsWith("--") ? args[i].substring(2) : "";
            if (!known.contains(name) || i + 1 == args.length)
            {
                throw new IllegalArgumentException("unknown or incomplete option \"" + args[i] + "\"; the options are --" +
                    String.join(" VALUE, --", known) + " VALUE");
            }
            values.put(name, args[++i]);
        }
    }

    String text(final String name)
    {
        return values.get(name);
    }

    long number(final String name)
    {
        return Long.parseLong(values.get(name).replace("_", ""));
    }
}

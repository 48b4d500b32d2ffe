package dev.modelsel.engine.availability;

import net.openhft.chronicle.map.ExternalMapQueryContext;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * A separate JVM for the multi-process tests: opens the shared table and writes to it as one mode says, printing
 * what it did on stdout. Started by {@link Jvms}.
 * <ul>
 *   <li>{@code cooldowns TABLE SEED COUNT GO_FILE MODEL...}: once GO_FILE exists, COUNT random cooldowns on the
 *       models as fast as it can; prints {@code max MODEL DEADLINE} for the latest it wrote to each.</li>
 *   <li>{@code churn TABLE}: writes forever (down, up, cooldowns on 50 models); prints {@code writing} after the
 *       first thousand writes.</li>
 *   <li>{@code hold TABLE MODEL}: takes the write lock of MODEL's segment and keeps it until killed; prints
 *       {@code holding}.</li>
 *   <li>{@code hold-until TABLE MODEL FILE}: the same, until FILE exists; then releases it and closes the table.</li>
 *   <li>{@code set-down TABLE MODEL}: marks MODEL down; prints {@code ok SEQUENCE}, the change sequence after it.</li>
 *   <li>{@code read TABLE MODEL}: prints {@code down}, {@code up} or {@code absent}.</li>
 *   <li>{@code open TABLE}: opens, then writes and reads back the churn models, {@code held} and one more; prints
 *       {@code ok} (with {@code recovered} when opening recovered the map), or the error and exits 3.</li>
 * </ul>
 */
public final class TableWorker
{
    private TableWorker()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        final Path path = Path.of(args[1]);
        try (SharedAvailabilityTable table = SharedAvailabilityTable.open(path))
        {
            switch (args[0])
            {
                case "cooldowns":
                    cooldowns(table, Long.parseLong(args[2]), Integer.parseInt(args[3]), Path.of(args[4]),
                        Arrays.copyOfRange(args, 5, args.length));
                    break;
                case "churn":
                    churn(table);
                    break;
                case "hold":
                case "hold-until":
                    hold(table, args[2], args.length > 3 ? Path.of(args[3]) : null);
                    break;
                case "read":
                    final AvailabilityRecord record = new AvailabilityRecord();
                    System.out.println(!table.read(args[2], record) ? "absent" : record.down() ? "down" : "up");
                    break;
                case "set-down":
                    table.setDown(args[2]);
                    System.out.println("ok " + table.changeSequence());
                    break;
                default:
                    check(table);
            }
        }
        catch (final Exception ex)
        {
            System.out.println(ex.getClass().getSimpleName() + ": " + ex.getMessage());
            System.out.flush();
            System.exit(3);
        }
    }

    /** Writes and reads back every key a churning writer uses, so a lock it left held anywhere would show. */
    private static void check(final SharedAvailabilityTable table)
    {
        final AvailabilityRecord record = new AvailabilityRecord();
        boolean ok = true;
        for (int i = 0; i < 50; i++)
        {
            final String model = "churn-" + i;
            table.setRateLimited(model, 1_000_000 + i);
            ok &= table.read(model, record) && record.cooldownUntilMs() >= 1_000_000 + i;
        }
        for (final String model : new String[] {"worker-check", "held"})
        {
            table.setRateLimited(model, 42);
            ok &= table.read(model, record) && record.cooldownUntilMs() >= 42;
        }
        System.out.println((ok ? "ok" : "bad") + (table.recoveredOnOpen() ? " recovered" : ""));
    }

    /**
     * Takes the write lock of MODEL's segment, as a writer does mid-write, and keeps it until killed, or until
     * {@code release} exists.
     */
    private static void hold(final SharedAvailabilityTable table, final String model, final Path release)
        throws InterruptedException
    {
        try (ExternalMapQueryContext<CharSequence, AvailabilityEntry, ?> context =
            table.store().chronicleMap().queryContext(model))
        {
            context.writeLock().lock();
            System.out.println("holding");
            System.out.flush();
            while (release == null || !Files.exists(release))
            {
                Thread.sleep(release == null ? Long.MAX_VALUE : 10);
            }
        }
    }

    private static void cooldowns(
        final SharedAvailabilityTable table, final long seed, final int count, final Path go, final String[] models)
        throws InterruptedException
    {
        System.out.println("ready");
        System.out.flush();
        while (!Files.exists(go))
        {
            Thread.onSpinWait();
        }
        final Random random = new Random(seed);
        final Map<String, Long> latest = new TreeMap<>();
        for (int i = 0; i < count; i++)
        {
            final String model = models[random.nextInt(models.length)];
            final long until = 1_700_000_000_000L + random.nextInt(1_000_000_000);
            table.setRateLimited(model, until);
            latest.merge(model, until, Math::max);
        }
        latest.forEach((model, until) -> System.out.println("max " + model + " " + until));
    }

    private static void churn(final SharedAvailabilityTable table)
    {
        for (long i = 0; ; i++)
        {
            final String model = "churn-" + (i % 50);
            if (i % 3 == 0)
            {
                table.setDown(model);
            }
            else if (i % 3 == 1)
            {
                table.setUp(model);
            }
            else
            {
                table.setRateLimited(model, i);
            }
            if (i == 1000)
            {
                System.out.println("writing");
                System.out.flush();
            }
        }
    }
}

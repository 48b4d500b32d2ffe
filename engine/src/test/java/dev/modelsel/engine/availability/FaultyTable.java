package dev.modelsel.engine.availability;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.function.Function;

/**
 * A table in memory one of whose methods throws, while a test says so, what the test gives it: a stuck segment, a
 * fault in a mapped file's memory. Not thread-safe beyond a volatile switch.
 */
public final class FaultyTable
{
    private final AvailabilityTable inMemory = new InMemoryAvailabilityTable();
    private final AvailabilityTable table;
    private volatile Function<Object[], Throwable> fault;

    /** @param method the name of the {@link AvailabilityTable} method that fails, while {@link #fail} says so. */
    public FaultyTable(final String method)
    {
        table = (AvailabilityTable)Proxy.newProxyInstance(AvailabilityTable.class.getClassLoader(),
            new Class<?>[] {AvailabilityTable.class}, (proxy, called, args) ->
            {
                final Function<Object[], Throwable> failing = fault;
                if (failing != null && called.getName().equals(method))
                {
                    throw failing.apply(args);
                }
                try
                {
                    return called.invoke(inMemory, args);
                }
                catch (final InvocationTargetException ex)
                {
                    throw ex.getCause();
                }
            });
    }

    public AvailabilityTable table()
    {
        return table;
    }

    /** @param fault what each call of the method throws from now on, given its arguments; {@code null}: none. */
    public void fail(final Function<Object[], Throwable> fault)
    {
        this.fault = fault;
    }
}

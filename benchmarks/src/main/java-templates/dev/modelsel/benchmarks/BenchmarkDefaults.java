package dev.modelsel.benchmarks;

import org.openjdk.jmh.annotations.Fork;

/**
 * Generated from {@code src/main/java-templates}: the parent POM's {@code modelsel.jvmFlags}, the project's one
 * list of JVM flags, reaches every JMH fork through this class's {@code @Fork}. Benchmarks extend it and do not
 * redeclare {@code @Fork} (JMH takes class annotations from the superclass; {@code -f} still sets the count).
 */
@Fork(value = 1, jvmArgsAppend = {"${modelsel.jvmFlags.javaArray}"})
public abstract class BenchmarkDefaults
{
    /** The same list, for harnesses that start JVMs of their own. */
    public static final String[] JVM_FLAGS = {"${modelsel.jvmFlags.javaArray}"};
}

package dev.modelsel.engine.probe;

/** Hears what a running {@link Prober} finds. Called from the prober's threads, one model at a time. */
public interface ProbeListener
{
    /** Every verdict; {@link ProbeVerdict#changed()} says whether the model's state changed. */
    void onVerdict(ProbeVerdict verdict);

    /** A verdict could not be written (the table failed); probing goes on. */
    void onError(String model, RuntimeException failure);
}

package dev.modelsel.engine.probe;

/** Hears what a running {@link Prober} finds. Called from the prober's threads, one model at a time. */
public interface ProbeListener
{
    /** For {@link Prober#probeOnce()} alone, which returns its verdicts instead. */
    ProbeListener IGNORE = new ProbeListener()
    {
        @Override
        public void onVerdict(final ProbeVerdict verdict)
        {
        }

        @Override
        public void onError(final String model, final RuntimeException failure)
        {
        }
    };

    /** Every verdict; {@link ProbeVerdict#changed()} says whether the model's state changed. */
    void onVerdict(ProbeVerdict verdict);

    /** A verdict could not be written (the table failed); probing goes on. */
    void onError(String model, RuntimeException failure);
}

package dev.modelsel.engine.mapped;

/** For tests of processes that follow their shared files ({@link FileFollower}). */
public final class Looks
{
    private Looks()
    {
    }

    /** A follower looks at its file at most once per {@link FileFollower#CHECK_EVERY_MS}: waits past that. */
    public static void waitForTheNextLook() throws InterruptedException
    {
        Thread.sleep(FileFollower.CHECK_EVERY_MS + 50);
    }
}

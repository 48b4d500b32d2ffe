package dev.modelsel.engine.mapped;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class MappedFilesTest
{
    private static final int THREADS = 4;
    private static final MappedFiles.Kind KIND = new MappedFiles.Kind("test file", 0x5445535446494C45L, 0, 8, 1, 1 << 20);

    @Test
    void shouldPublishOneWholeFileWhenThreadsCreateItTogether(@TempDir final Path dir) throws Exception
    {
        final ExecutorService threads = Executors.newFixedThreadPool(THREADS);
        try
        {
            for (int round = 0; round < 50; round++)
            {
                final Path path = dir.resolve("file-" + round);
                final CyclicBarrier together = new CyclicBarrier(THREADS);
                final List<Future<String>> refusals = new ArrayList<>();
                for (int t = 0; t < THREADS; t++)
                {
                    refusals.add(threads.submit(() ->
                    {
                        together.await();
                        MappedFiles.createIfAbsent(path, KIND, buffer -> buffer.putLong(16, 42));
                        return MappedFiles.refusal(path, KIND); // whoever won, the file is whole once published
                    }));
                }
                for (final Future<String> refusal : refusals)
                {
                    assertNull(refusal.get(), path.toString());
                }
            }
        }
        finally
        {
            threads.shutdownNow();
        }
        assertEquals(List.of(), temporaries(dir), "no temporary file outlives its call");
    }

    private static List<Path> temporaries(final Path dir) throws IOException
    {
        try (Stream<Path> files = Files.list(dir))
        {
            return files.filter(file -> file.getFileName().toString().contains(".tmp.")).toList();
        }
    }
}

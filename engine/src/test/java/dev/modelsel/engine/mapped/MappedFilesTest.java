package dev.modelsel.engine.mapped;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

class MappedFilesTest
{
    private static final MappedFiles.Kind KIND = new MappedFiles.Kind("test file", 0x5445535446494C45L, 0, 8, 1, 4096);

    @Test
    void shouldCreateDespiteATemporaryFileLeftByAnEarlierFailedTry(@TempDir final Path dir) throws IOException
    {
        final Path path = dir.resolve("file");
        final Path leftover = dir.resolve("file.tmp." + ProcessHandle.current().pid());
        Files.writeString(leftover, "left by an interrupted create");

        MappedFiles.createIfAbsent(path, KIND, buffer -> buffer.putLong(16, 42));

        assertNull(MappedFiles.refusal(path, KIND));
        assertFalse(Files.exists(leftover), "the temporary file never outlives the call");
        assertEquals(4096, Files.size(path));
    }
}

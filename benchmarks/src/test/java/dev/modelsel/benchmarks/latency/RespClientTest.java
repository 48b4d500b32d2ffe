package dev.modelsel.benchmarks.latency;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The Redis baseline's client: RESP as Redis writes it, on canned bytes, and against a real server where one is. */
class RespClientTest
{
    @TempDir
    Path directory;

    @Test
    void shouldEncodeACommandAsAnArrayOfBulkStrings()
    {
        assertEquals("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$5\r\nvälu\r\n",
            new String(RespClient.encode("SET", "k", "välu"), StandardCharsets.UTF_8), "lengths count bytes");
    }

    @Test
    void shouldReadEachKindOfReply() throws IOException
    {
        final ByteArrayOutputStream sent = new ByteArrayOutputStream();
        final RespClient client = new RespClient(replies("+OK\r\n:1\r\n$-1\r\n$5\r\nhello\r\n-ERR wrong type\r\n"),
            sent);
        assertEquals("OK", client.call(RespClient.encode("SET", "k", "v")));
        assertEquals("1", client.call(RespClient.encode("DEL", "k")));
        assertNull(client.call(RespClient.encode("GET", "k")));
        assertEquals("hello", client.call(RespClient.encode("GET", "k")));
        assertEquals("redis: ERR wrong type", assertThrows(IOException.class,
            () -> client.call(RespClient.encode("GET", "k"))).getMessage());
        assertEquals(new String(RespClient.encode("SET", "k", "v"), StandardCharsets.UTF_8),
            sent.toString(StandardCharsets.UTF_8).substring(0, RespClient.encode("SET", "k", "v").length));
    }

    @Test
    void shouldTellWhichKeysAnMgetFound() throws IOException
    {
        final RespClient client = new RespClient(replies("*3\r\n$-1\r\n$3\r\nabc\r\n$0\r\n\r\n*2\r\n$-1\r\n$-1\r\n"),
            new ByteArrayOutputStream());
        final boolean[] present = new boolean[3];
        client.callForPresence(RespClient.encode("MGET", "a", "b", "c"), present);
        assertArrayEquals(new boolean[] {false, true, true}, present, "an empty value is there all the same");
        assertEquals("redis: 2 values for 3 keys", assertThrows(IOException.class,
            () -> client.callForPresence(RespClient.encode("MGET", "a", "b", "c"), present)).getMessage());
    }

    @Test
    void shouldSetAndFindACooldownOnARealServerAndStopIt() throws Exception
    {
        final Path executable = RedisServer.find();
        Assumptions.assumeTrue(executable != null, "SKIPPED: " + RedisServer.MISSING);
        final int port;
        try (RedisServer server = RedisServer.start(executable, directory);
             RespClient client = RespClient.connect(server.port(), 5_000))
        {
            port = server.port();
            final String key = RedisSelect.cooldownKey("gpt-4o");
            final boolean[] present = new boolean[2];
            final byte[] mget = RespClient.encode("MGET", key, RedisSelect.cooldownKey("gpt-4o-mini"));
            client.callForPresence(mget, present);
            assertArrayEquals(new boolean[] {false, false}, present);
            assertEquals("OK", client.call(RespClient.encode("SET", key, "{}", "EX", "60")));
            client.callForPresence(mget, present);
            assertArrayEquals(new boolean[] {true, false}, present);
            assertEquals("1", client.call(RespClient.encode("DEL", key)));
            client.callForPresence(mget, present);
            assertArrayEquals(new boolean[] {false, false}, present);
        }
        assertThrows(IOException.class, () ->
        {
            try (Socket socket = new Socket())
            {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 1_000);
            }
        }, "the server is gone");
    }

    private static ByteArrayInputStream replies(final String text)
    {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }
}

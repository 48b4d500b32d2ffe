package dev.modelsel.engine.reference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The plain reference, extended with SPEC §7, answers the limits vectors as SPEC does: the reference is then a fair
 * judge of the fast path over random scripts.
 */
class ReferenceLimitsVectorsTest
{
    private static final List<String> KEYS = List.of("status", "model", "tier", "initial_tier", "fallback",
        "retry_at_ms");

    @Test
    void shouldAnswerEveryLimitsVector() throws Exception
    {
        final Path vectors = Path.of(ReferenceLimitsVectorsTest.class.getResource("/vectors/limits").toURI());
        final JsonMapper json = new JsonMapper();
        int answers = 0;
        for (int i = 0; i < 4; i++)
        {
            final String stem = String.format("limits%03d", i);
            final RefCatalog catalog = RefCatalog.fromJson(json.readTree(vectors.resolve(stem + ".yaml").toFile()));
            // lines without now_ms (set_down, set_up) do not depend on the time; the clock is the script's last time
            final long[] lastNow = {0};
            final ReferenceProtocol protocol = new ReferenceProtocol(catalog, () -> lastNow[0]);
            final List<String> requests = Files.readAllLines(vectors.resolve(stem + ".jsonl"));
            final List<String> expected = Files.readAllLines(vectors.resolve(stem + ".expected.jsonl"));
            for (int line = 0; line < requests.size(); line++)
            {
                final JsonNode request = json.readTree(requests.get(line));
                if (request.has("now_ms"))
                {
                    lastNow[0] = request.get("now_ms").longValue();
                }
                final Map<String, Object> answer = protocol.handle(requests.get(line));
                final JsonNode want = json.readTree(expected.get(line));
                final boolean statusOnly = want.size() == 1;
                for (final String key : statusOnly ? List.of("status") : KEYS)
                {
                    final JsonNode value = want.get(key);
                    final Object expectedValue = value == null || value.isNull() ? null : value.isNumber() ?
                        (Object)value.longValue() : value.asText();
                    final Object actual = answer.get(key) instanceof Number number ? (Object)number.longValue() :
                        answer.get(key);
                    assertEquals(expectedValue, actual == null ? null : actual instanceof Long ? actual :
                        Objects.toString(actual), stem + " line " + (line + 1) + " " + key + ": " + requests.get(line));
                }
                answers++;
            }
        }
        assertEquals(514, answers);
    }
}

package dev.modelsel.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.modelsel.catalog.BudgetDefinition;
import dev.modelsel.catalog.CatalogDefinition;
import dev.modelsel.catalog.CatalogLoader;
import dev.modelsel.catalog.RateLimits;
import dev.modelsel.engine.availability.InMemoryAvailabilityTable;
import dev.modelsel.engine.limits.InMemoryLimitsStore;
import dev.modelsel.engine.protocol.RunSession;
import dev.modelsel.engine.reference.ReferenceProtocol;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The project's copy of the shared SPEC vectors ({@code src/test/resources/vectors}, from {@code shared/vectors}):
 * each op script through a {@code run} session on its catalog, compared on SPEC §4's keys with the expected
 * answers ({@code status} only for {@code INVALID_REQUEST}). The packaged command runs them too, in CommandIT.
 */
class SharedVectorsTest
{
    private static final List<String> KEYS = List.of("status", "model", "tier", "initial_tier", "fallback", "retry_at_ms");

    static Stream<String> scripts() throws IOException, URISyntaxException
    {
        try (Stream<Path> files = Files.list(vectors()))
        {
            return files.map(p -> p.getFileName().toString())
                .filter(name -> name.endsWith(".jsonl") && !name.endsWith(".expected.jsonl"))
                .sorted()
                .collect(Collectors.toList())
                .stream();
        }
    }

    /**
     * SPEC §7's sample catalogs load as the JSON writes them: every {@code limits} and {@code budgets} entry, none
     * refused. (Answering their scripts waits for the buckets and budgets, issue 14.)
     */
    @Test
    void shouldReadEveryLimitAndBudgetOfTheLimitsCatalogs() throws Exception
    {
        final JsonMapper json = new JsonMapper();
        try (Stream<Path> files = Files.list(vectors().resolve("limits")))
        {
            final List<Path> catalogs = files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
            assertEquals(4, catalogs.size(), catalogs.toString());
            for (final Path path : catalogs)
            {
                final JsonNode source = json.readTree(path.toFile());
                final CatalogDefinition catalog = CatalogLoader.load(path).definition();
                source.get("models").fields().forEachRemaining(model ->
                {
                    final JsonNode limits = model.getValue().get("limits");
                    assertEquals(limits == null ? RateLimits.NONE : new RateLimits(limits.path("rpm").asLong(0),
                        limits.path("tpm").asLong(0)), catalog.models().get(model.getKey()).limits(),
                        path + ": " + model.getKey());
                });
                final JsonNode budgets = source.path("budgets");
                assertEquals(budgets.size(), catalog.budgets().size(), path.toString());
                for (int b = 0; b < budgets.size(); b++)
                {
                    final BudgetDefinition budget = catalog.budgets().get(b);
                    assertEquals(budgets.get(b).get("name").asText(), budget.name());
                    assertEquals(0, budgets.get(b).get("usd").decimalValue().compareTo(budget.usd()), budget.name());
                    assertEquals(budgets.get(b).get("period").asText(), budget.period().key());
                    assertEquals(budgets.get(b).path("provider").asText(null), budget.provider());
                    assertEquals(budgets.get(b).path("model").asText(null), budget.model());
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("scripts")
    void shouldAnswerAsTheVectorsSay(final String script) throws Exception
    {
        final String stem = script.substring(0, script.length() - ".jsonl".length());
        final Path catalog = vectors().resolve(stem.replace("_ops", "_catalog") + ".yaml");
        final List<String> requests = Files.readAllLines(vectors().resolve(script));
        final List<String> expected = Files.readAllLines(vectors().resolve(stem + ".expected.jsonl"));
        final RunSession session = new RunSession(
            Selector.create(CatalogLoader.load(catalog).compile(), new InMemoryAvailabilityTable()),
            System::currentTimeMillis); // the writer's clock of a set_rate_limited, as under `modelsel run` (SPEC §3)

        int answer = 0;
        for (int line = 0; line < requests.size(); line++)
        {
            if (requests.get(line).isBlank())
            {
                continue;
            }
            final Map<?, ?> want = ReferenceProtocol.JSON.readValue(expected.get(answer++), Map.class);
            final Map<?, ?> got = ReferenceProtocol.JSON.readValue(session.handle(line + 1, requests.get(line)), Map.class);
            final String where = script + " line " + (line + 1) + ": " + requests.get(line);
            if ("INVALID_REQUEST".equals(want.get("status")))
            {
                assertEquals(want.get("status"), got.get("status"), where);
                continue;
            }
            for (final String key : KEYS)
            {
                if (want.containsKey(key))
                {
                    assertEquals(want.get(key), got.get(key), where + " (" + key + ")");
                }
            }
        }
        assertEquals(expected.size(), answer, script + ": every expected answer was compared");
    }

    static Stream<String> limitsScripts()
    {
        return Stream.of("limits000", "limits001", "limits002", "limits003");
    }

    /** SPEC §7's vectors through `run`'s session, with limits in memory as `modelsel run` keeps them. */
    @ParameterizedTest
    @MethodSource("limitsScripts")
    void shouldAnswerAsTheLimitsVectorsSay(final String stem) throws Exception
    {
        final Path directory = vectors().resolve("limits");
        final List<String> requests = Files.readAllLines(directory.resolve(stem + ".jsonl"));
        final List<String> expected = Files.readAllLines(directory.resolve(stem + ".expected.jsonl"));
        final long[] lastNow = {0}; // lines without now_ms (set_down, set_up) do not depend on it
        final RunSession session = new RunSession(Selector.create(CatalogLoader.load(directory.resolve(stem + ".yaml"))
            .compile(), new InMemoryAvailabilityTable(), new InMemoryLimitsStore()), () -> lastNow[0]);
        for (int line = 0; line < requests.size(); line++)
        {
            final Map<?, ?> request = ReferenceProtocol.JSON.readValue(requests.get(line), Map.class);
            if (request.get("now_ms") instanceof Number now)
            {
                lastNow[0] = now.longValue();
            }
            final Map<?, ?> want = ReferenceProtocol.JSON.readValue(expected.get(line), Map.class);
            final Map<?, ?> got = ReferenceProtocol.JSON.readValue(session.handle(line + 1, requests.get(line)),
                Map.class);
            for (final String key : KEYS)
            {
                if (want.containsKey(key))
                {
                    assertEquals(want.get(key), got.get(key), stem + " line " + (line + 1) + ": " + requests.get(line) +
                        " (" + key + ")");
                }
            }
        }
    }

    static Path vectors() throws URISyntaxException
    {
        return Path.of(SharedVectorsTest.class.getResource("/vectors/seed_ops.jsonl").toURI()).getParent();
    }
}

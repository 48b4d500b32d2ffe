package dev.modelsel.engine.probe;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProbeConfigReaderTest
{
    private static final String SECRET = "sk-very-secret-value-0123456789";
    private static final Map<String, String> ENV = Map.of("API_KEY", SECRET, "BROKEN", "line\nbreak " + SECRET);

    @Test
    void shouldReadTheIssuesExampleWithDefaultsAndResolvedSecrets() throws Exception
    {
        final ProbeConfig config = ProbeConfigReader.parse("probes.json", """
            {"probes": [{"model": "claude-3-opus-20240229", "url": "https://api.example.com/v1/models",
                         "method": "GET", "headers": {"x-api-key": "${API_KEY}", "Accept": "application/json"},
                         "timeout_ms": 2000},
                        {"model": "gpt-4o", "url": "http://127.0.0.1:8080/health",
                         "headers": {"Authorization": "Bearer ${API_KEY}"}}],
             "interval_ms": 10000, "failures_to_down": 1, "max_concurrent": 8}
            """, true, ENV::get);
        assertEquals(2, config.probes().size());
        final ProbeTarget first = config.probes().get(0);
        assertEquals(URI.create("https://api.example.com/v1/models"), first.url());
        assertEquals(SECRET, first.headers().get("x-api-key"));
        assertEquals("Bearer " + SECRET, config.probes().get(1).headers().get("Authorization"));
        assertEquals("GET", config.probes().get(1).method());
        assertEquals(ProbeConfig.DEFAULT_TIMEOUT_MS, config.probes().get(1).timeoutMs());
        assertFalse(first.toString().contains(SECRET), first.toString());
        final ProbeConfig defaults = ProbeConfigReader.parse("p.yaml", "probes:\n  - {model: m, url: 'http://h/'}\n",
            false, ENV::get);
        assertEquals(List.of(10_000L, 1, 8), List.of(defaults.intervalMs(), defaults.failuresToDown(),
            defaults.maxConcurrent()));
    }

    @Test
    void shouldNameEveryProblemWithItsLineAndNeverASecret()
    {
        final ProbeConfigException refused = assertThrows(ProbeConfigException.class, () ->
            ProbeConfigReader.parse("probes.yaml", """
                probes:
                  - model: a
                    url: ftp://example.com/
                  - model: b
                    url: http://example.com/
                    method: get
                    headers:
                      Authorization: "Bearer ${MISSING_KEY}"
                      Host: example.org
                      X-Number: 5
                      X-Broken: "${BROKEN}"
                  - url: http://example.com/
                  - model: a
                    url: http://example.com/
                    timout_ms: 100
                interval_ms: 0
                max_concurrent: 2.5
                """, false, ENV::get));
        assertEquals(List.of(
            "probes.yaml: interval_ms (line 16): must be a whole number from 1 to 86400000, not 0",
            "probes.yaml: max_concurrent (line 17): must be a whole number from 1 to 256, not 2.5",
            "probes.yaml: probes[0].url (line 3): must be an absolute http or https URL, not \"ftp://example.com/\"",
            "probes.yaml: probes[1].method (line 6): must be an HTTP method in capitals that the JDK's HTTP client " +
                "sends (GET, HEAD, POST, ...; not CONNECT), not \"get\"",
            "probes.yaml: probes[1].headers.Authorization (line 8): environment variable MISSING_KEY is not set",
            "probes.yaml: probes[1].headers.Host (line 9): cannot be sent: not a valid header name, a value with a " +
                "line break or control character, or a header the HTTP client sets itself (Host, Connection, " +
                "Content-Length, Expect, Upgrade)",
            "probes.yaml: probes[1].headers.X-Number (line 10): must be a string (quote it)",
            "probes.yaml: probes[1].headers.X-Broken (line 11): cannot be sent: not a valid header name, a value " +
                "with a line break or control character, or a header the HTTP client sets itself (Host, " +
                "Connection, Content-Length, Expect, Upgrade)",
            "probes.yaml: probes[2].model (line 12): missing",
            "probes.yaml: probes[3].timout_ms (line 15): unknown key (did you mean \"timeout_ms\"?); known: headers, " +
                "method, model, timeout_ms, url",
            "probes.yaml: probes[3].model (line 13): \"a\" is probed already (line 2); one probe per model"),
            refused.problems());
        assertFalse(refused.getMessage().contains(SECRET));
        assertFalse(refused.getMessage().contains("line\nbreak"));
    }

    @Test
    void shouldCheckUrlsAndMethodsAsTheHttpClientWillAndNeverQuoteASyntaxError()
    {
        final ProbeConfigException refused = assertThrows(ProbeConfigException.class, () ->
            ProbeConfigReader.parse("p.yaml", """
                probes:
                  - {model: a, url: "http://127.0.0.1:99999/"}
                  - {model: b, url: "http://example.com/", method: CONNECT, headers: {x-a: "1"}}
                """, false, ENV::get));
        assertEquals(List.of(
            "p.yaml: probes[0].url (line 2): must be an absolute http or https URL, not \"http://127.0.0.1:99999/\"",
            "p.yaml: probes[1].method (line 3): must be an HTTP method in capitals that the JDK's HTTP client sends " +
                "(GET, HEAD, POST, ...; not CONNECT), not \"CONNECT\""), refused.problems());

        final String typedIn = "sk-literal-SECRET123";
        final ProbeConfigException syntax = assertThrows(ProbeConfigException.class, () ->
            ProbeConfigReader.parse("p.yaml", "probes:\n  - model: a\n    headers:\n      x-api-key: \"" + typedIn +
                "\" junk\n", false, ENV::get));
        assertFalse(syntax.getMessage().contains(typedIn), syntax.getMessage());
        assertTrue(syntax.getMessage().startsWith("p.yaml (line 4, column 41): not valid YAML"), syntax.getMessage());
        final ProbeConfigException json = assertThrows(ProbeConfigException.class, () ->
            ProbeConfigReader.parse("p.json", "{\"probes\": [{\"headers\": {\"k\": \"" + typedIn + "\" x}}]}", true,
                ENV::get));
        assertFalse(json.getMessage().contains(typedIn), json.getMessage());
    }

    @Test
    void shouldRefuseAConfigWithoutProbes()
    {
        assertTrue(assertThrows(ProbeConfigException.class, () -> ProbeConfigReader.parse("p.yaml", "interval_ms: 5\n",
            false, ENV::get)).getMessage().contains("probes (line 1): missing"));
        assertTrue(assertThrows(ProbeConfigException.class, () -> ProbeConfigReader.parse("p.yaml", "probes: []\n",
            false, ENV::get)).getMessage().contains("must be a non-empty list"));
        assertTrue(assertThrows(ProbeConfigException.class, () -> ProbeConfigReader.parse("p.yaml", "- a\n",
            false, ENV::get)).getMessage().contains("must be a mapping with \"probes\""));
        assertTrue(assertThrows(ProbeConfigException.class, () -> ProbeConfigReader.parse("p.json", "{\"probes\": [",
            true, ENV::get)).getMessage().startsWith("p.json (line 1, column 13): not valid JSON (the parser's own message"));
    }
}

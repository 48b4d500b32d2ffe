package dev.modelsel.catalog;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The default catalog's build-time image is the YAML's catalog exactly, and any catalog survives the round trip. */
class CatalogImageTest
{
    private static final String CATALOG = String.join("\n",
        "version: 1",
        "safety_margin: 0.9",
        "defaults: {context_window: 64000, input_cost_per_mtok: 2.5, output_cost_per_mtok: 7.5, capability: 0.6}",
        "complexity_tiers: {low: 2, medium: 2, high: 1}",
        "escalation: {max_retries: 3, quality_threshold: 0.75}",
        "models:",
        "  big: {context_window: 1000000, input_cost_per_mtok: 0.24997000000000006, capability: 0.95, provider: acme,",
        "        limits: {rpm: 500, tpm: 150000000}}",
        "  free: {context_window: 8000, input_cost_per_mtok: 0, capability: 0.1, limits: {tpm: 6000}}",
        "  \"ünïcode/model\": {context_window: 32000, output_cost_per_mtok: 1e-7}",
        "  unused: {context_window: 16000}",
        "tiers:",
        "  - {tier: 1, min_capability: 0.9, models: [big, undeclared]}",
        "  - {tier: 2, models: [free, \"ünïcode/model\", big]}",
        "budgets:",
        "  - {name: acme-daily, provider: acme, usd: 100.125, period: day}",
        "  - {name: tiny, model: free, usd: 0.0000001, period: month}",
        "");

    @Test
    void shouldBeTheCatalogOfTheShippedYamlExactly() throws Exception
    {
        final byte[] text = CatalogLoader.defaultCatalogBytes();
        try (InputStream image = CatalogLoader.class.getResourceAsStream(CatalogImage.DEFAULT_CATALOG_IMAGE))
        {
            assertNotNull(image, "the build writes " + CatalogImage.DEFAULT_CATALOG_IMAGE + " (process-classes)");
            final LoadedCatalog fromImage = CatalogImage.read(image, text);
            assertNotNull(fromImage, "the image was made from the shipped YAML");
            assertSame(CatalogLoader.parse("default catalog", new String(text, StandardCharsets.UTF_8), false), fromImage);
            assertSame(fromImage, CatalogLoader.loadDefault());
        }
    }

    @Test
    void shouldCarryAnyCatalogThroughTheImage() throws Exception
    {
        final byte[] text = CATALOG.getBytes(StandardCharsets.UTF_8);
        final LoadedCatalog parsed = CatalogLoader.parse("test.yaml", CATALOG, false);
        assertEquals(2, parsed.warnings().size(), parsed.warnings().toString()); // undeclared, unused
        assertSame(parsed, CatalogImage.read(image(parsed, text), text));
    }

    @Test
    void shouldIgnoreAnImageOfOtherText() throws Exception
    {
        final byte[] text = CATALOG.getBytes(StandardCharsets.UTF_8);
        final byte[] image = image(CatalogLoader.parse("test.yaml", CATALOG, false), text);
        final byte[] edited = CATALOG.replace("0.95", "0.96").getBytes(StandardCharsets.UTF_8);
        assertNull(CatalogImage.read(image, edited), "same length, other text");
        assertNull(CatalogImage.read(image, (CATALOG + "#\n").getBytes(StandardCharsets.UTF_8)), "longer text");
        image[7]++; // the format version
        assertNull(CatalogImage.read(image, text), "another format");
        assertNull(CatalogImage.read((InputStream)null, text), "no image");
    }

    private static byte[] image(final LoadedCatalog loaded, final byte[] text) throws IOException
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        CatalogImage.write(loaded, text, out);
        return out.toByteArray();
    }

    /** Records compare doubles bit for bit and lists in order; the models' order is the selector's tie order. */
    private static void assertSame(final LoadedCatalog expected, final LoadedCatalog actual)
    {
        assertEquals(expected.definition(), actual.definition());
        assertArrayEquals(new ArrayList<>(expected.definition().models().keySet()).toArray(),
            new ArrayList<>(actual.definition().models().keySet()).toArray());
        assertEquals(expected.warnings(), actual.warnings());
        assertEquals(expected.compile().modelCount(), actual.compile().modelCount());
        for (int m = 0; m < expected.compile().modelCount(); m++)
        {
            assertEquals(expected.compile().id(m), actual.compile().id(m));
            assertEquals(expected.compile().score(m), actual.compile().score(m));
        }
    }
}

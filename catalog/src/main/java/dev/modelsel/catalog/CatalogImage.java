package dev.modelsel.catalog;

import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * A loaded catalog as a compact binary image, so that the default catalog can start without YAML: parsing its
 * 2 KB through Jackson and SnakeYAML costs a cold JVM about 80 ms (their classes, loaded and interpreted), reading
 * this image a few. The build writes the image of the default catalog beside its YAML ({@link #main}); the YAML
 * stays the source of truth, and the image carries the CRC-32 and length of the text it was made from, so that an
 * image that does not match the text beside it is ignored rather than believed.
 * <pre>
 *   int    MAGIC, int FORMAT_VERSION, long source text length, long source text CRC-32
 *   UTF    source; double safety_margin
 *   long   defaults.context_window; double defaults input, output (NaN: none) cost per Mtok, capability
 *   int    n; int x n                      initial tier of each complexity, by ordinal
 *   int    max_retries; double quality_threshold
 *   int    models; per model: UTF id, long context_window, double input, output cost per Mtok, capability,
 *          boolean has provider, [UTF provider], long rpm, long tpm (0: none), boolean declared
 *   int    tiers; per tier: int number, double min_capability, int n, UTF model id x n
 *   int    budgets; per budget: UTF name, boolean by provider, UTF provider or model, UTF usd, UTF period
 *   int    warnings; per warning: UTF source, UTF path, int line, int column, UTF message
 * </pre>
 * Big-endian, strings as {@link DataOutputStream#writeUTF}.
 * <p>
 * Stateless and thread-safe.
 */
public final class CatalogImage
{
    /** Where the build puts the default catalog's image, beside {@link CatalogLoader#DEFAULT_CATALOG_RESOURCE}. */
    public static final String DEFAULT_CATALOG_IMAGE = "/dev/modelsel/catalog/default-catalog.image";

    static final int MAGIC = 0x4d53_4349; // "MSCI"
    static final int FORMAT_VERSION = 2;

    private CatalogImage()
    {
    }

    /**
     * The build step: writes the default catalog's image.
     *
     * @param args the classes directory that the image goes under (the build's {@code target/classes}).
     * @throws Exception when the default catalog does not load or the image cannot be written: the build fails.
     */
    public static void main(final String[] args) throws Exception
    {
        final byte[] text = CatalogLoader.defaultCatalogBytes();
        final LoadedCatalog loaded = CatalogLoader.parse(CatalogLoader.DEFAULT_SOURCE,
            new String(text, StandardCharsets.UTF_8), false);
        final Path image = Path.of(args[0], DEFAULT_CATALOG_IMAGE.substring(1));
        Files.createDirectories(image.getParent());
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(image)))
        {
            write(loaded, text, out);
        }
    }

    /**
     * @param loaded the catalog.
     * @param text   the text it was loaded from, which a reader must hold the same to believe the image.
     * @param out    where the image goes; not closed.
     */
    public static void write(final LoadedCatalog loaded, final byte[] text, final OutputStream out) throws IOException
    {
        final DataOutputStream data = new DataOutputStream(out);
        final CatalogDefinition definition = loaded.definition();
        data.writeInt(MAGIC);
        data.writeInt(FORMAT_VERSION);
        data.writeLong(text.length);
        data.writeLong(crc32(text));
        data.writeUTF(definition.source());
        data.writeDouble(definition.safetyMargin());
        final ModelDefaults defaults = definition.defaults();
        data.writeLong(defaults.contextWindow());
        data.writeDouble(defaults.inputCostPerMtok());
        data.writeDouble(defaults.outputCostPerMtok());
        data.writeDouble(defaults.capability());
        data.writeInt(definition.initialTiers().size());
        for (final int tier : definition.initialTiers())
        {
            data.writeInt(tier);
        }
        data.writeInt(definition.escalation().maxRetries());
        data.writeDouble(definition.escalation().qualityThreshold());
        data.writeInt(definition.models().size());
        for (final ModelDefinition model : definition.models().values())
        {
            data.writeUTF(model.id());
            data.writeLong(model.contextWindow());
            data.writeDouble(model.inputCostPerMtok());
            data.writeDouble(model.outputCostPerMtok());
            data.writeDouble(model.capability());
            data.writeBoolean(model.provider() != null);
            if (model.provider() != null)
            {
                data.writeUTF(model.provider());
            }
            data.writeLong(model.limits().rpm());
            data.writeLong(model.limits().tpm());
            data.writeBoolean(model.declared());
        }
        data.writeInt(definition.tiers().size());
        for (final TierDefinition tier : definition.tiers())
        {
            data.writeInt(tier.number());
            data.writeDouble(tier.minCapability());
            data.writeInt(tier.models().size());
            for (final String id : tier.models())
            {
                data.writeUTF(id);
            }
        }
        data.writeInt(definition.budgets().size());
        for (final BudgetDefinition budget : definition.budgets())
        {
            data.writeUTF(budget.name());
            data.writeBoolean(budget.provider() != null);
            data.writeUTF(budget.provider() != null ? budget.provider() : budget.model());
            data.writeUTF(budget.usd().toPlainString());
            data.writeUTF(budget.period().key());
        }
        data.writeInt(loaded.warnings().size());
        for (final CatalogProblem warning : loaded.warnings())
        {
            data.writeUTF(warning.source());
            data.writeUTF(warning.path());
            data.writeInt(warning.line());
            data.writeInt(warning.column());
            data.writeUTF(warning.message());
        }
        data.flush();
    }

    /**
     * @param image the image, or {@code null} when there is none.
     * @param text  the text the catalog is loaded from now.
     * @return the catalog, or {@code null} when there is no image, or it was made from other text or in another
     *         format: then the text must be parsed.
     */
    public static LoadedCatalog read(final InputStream image, final byte[] text) throws IOException
    {
        if (image == null)
        {
            return null;
        }
        final DataInputStream data = new DataInputStream(image);
        if (data.readInt() != MAGIC || data.readInt() != FORMAT_VERSION || data.readLong() != text.length ||
            data.readLong() != crc32(text))
        {
            return null;
        }
        final String source = data.readUTF();
        final double safetyMargin = data.readDouble();
        final ModelDefaults defaults = new ModelDefaults(data.readLong(), data.readDouble(), data.readDouble(),
            data.readDouble());
        final List<Integer> initialTiers = new ArrayList<>();
        for (int i = data.readInt(); i > 0; i--)
        {
            initialTiers.add(data.readInt());
        }
        final EscalationPolicy escalation = new EscalationPolicy(data.readInt(), data.readDouble());
        final Map<String, ModelDefinition> models = new LinkedHashMap<>();
        for (int i = data.readInt(); i > 0; i--)
        {
            final ModelDefinition model = new ModelDefinition(data.readUTF(), data.readLong(), data.readDouble(),
                data.readDouble(), data.readDouble(), data.readBoolean() ? data.readUTF() : null,
                limits(data.readLong(), data.readLong()), data.readBoolean());
            models.put(model.id(), model);
        }
        final List<TierDefinition> tiers = new ArrayList<>();
        for (int i = data.readInt(); i > 0; i--)
        {
            final int number = data.readInt();
            final double minCapability = data.readDouble();
            final List<String> ids = new ArrayList<>();
            for (int j = data.readInt(); j > 0; j--)
            {
                ids.add(data.readUTF());
            }
            tiers.add(new TierDefinition(number, minCapability, ids));
        }
        final List<BudgetDefinition> budgets = new ArrayList<>();
        for (int i = data.readInt(); i > 0; i--)
        {
            final String name = data.readUTF();
            final boolean byProvider = data.readBoolean();
            final String covered = data.readUTF();
            budgets.add(new BudgetDefinition(name, byProvider ? covered : null, byProvider ? null : covered,
                new java.math.BigDecimal(data.readUTF()), BudgetPeriod.of(data.readUTF())));
        }
        final List<CatalogProblem> warnings = new ArrayList<>();
        for (int i = data.readInt(); i > 0; i--)
        {
            warnings.add(new CatalogProblem(data.readUTF(), data.readUTF(), data.readInt(), data.readInt(),
                data.readUTF()));
        }
        return new LoadedCatalog(
            new CatalogDefinition(source, safetyMargin, defaults, initialTiers, escalation, models, tiers, budgets),
            warnings);
    }

    private static RateLimits limits(final long rpm, final long tpm)
    {
        return rpm == 0 && tpm == 0 ? RateLimits.NONE : new RateLimits(rpm, tpm);
    }

    /** As {@link #read(InputStream, byte[])}, from bytes. */
    static LoadedCatalog read(final byte[] image, final byte[] text) throws IOException
    {
        return read(new ByteArrayInputStream(image), text);
    }

    private static long crc32(final byte[] text)
    {
        final CRC32 crc = new CRC32();
        crc.update(text);
        return crc.getValue();
    }
}

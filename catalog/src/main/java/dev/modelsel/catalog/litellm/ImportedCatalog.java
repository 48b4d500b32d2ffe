package dev.modelsel.catalog.litellm;

import java.math.BigDecimal;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The result of an import: the models and tiers, and the account of everything left out (skipped entries by reason,
 * filtered models, models without a capability). {@link #yaml()} is the catalog file, its header saying the same.
 * <p>
 * Immutable and thread-safe.
 */
public final class ImportedCatalog
{
    private final String source;
    private final String sha256;
    private final int entries;
    private final List<PricedModel> models;
    private final List<List<String>> tiers;
    private final List<String> tierRules;
    private final Map<SkipReason, Integer> skipped;
    private final List<String> malformed;
    private final int filteredByProvider;
    private final int filteredByInclude;
    private final List<String> withoutCapability;
    private final List<String> unusedCapabilities;
    private final List<String> unmatchedProviders;
    private final ImportOptions options;

    private ImportedCatalog(final Builder builder)
    {
        source = builder.source;
        sha256 = builder.sha256;
        entries = builder.entries;
        models = List.copyOf(builder.models);
        tiers = builder.tiers.stream().map(List::copyOf).toList();
        tierRules = List.copyOf(builder.tierRules);
        skipped = Collections.unmodifiableMap(new EnumMap<>(builder.skipped));
        malformed = List.copyOf(builder.malformed);
        filteredByProvider = builder.filteredByProvider;
        filteredByInclude = builder.filteredByInclude;
        options = builder.options;
        unmatchedProviders = options.providers().stream().filter(p -> !builder.providersSeen.contains(p)).sorted()
            .toList();
        final Set<String> tiered = new HashSet<>();
        tiers.forEach(tiered::addAll);
        withoutCapability = models.stream().map(PricedModel::id).filter(id -> !tiered.contains(id)).toList();
        if (options.tiersByCapability())
        {
            final Set<String> imported = new HashSet<>();
            models.forEach(model -> imported.add(model.id()));
            unusedCapabilities = options.capabilities().keySet().stream().filter(id -> !imported.contains(id))
                .sorted().toList();
        }
        else
        {
            unusedCapabilities = List.of();
        }
    }

    /** The price list's name as given. */
    public String source()
    {
        return source;
    }

    /** The SHA-256 of the price list's bytes, so that a catalog names the snapshot it came from. */
    public String sha256()
    {
        return sha256;
    }

    /** Top-level entries in the price list, imported or not. */
    public int entries()
    {
        return entries;
    }

    /** The imported models, by id. */
    public List<PricedModel> models()
    {
        return models;
    }

    /** The tiers' model ids, tier 1 first, each by id. */
    public List<List<String>> tiers()
    {
        return tiers;
    }

    /** One line per tier saying what it holds, for the header and the summary. */
    public List<String> tierRules()
    {
        return tierRules;
    }

    /** Entries skipped, by reason, every reason present (0 when none). */
    public Map<SkipReason, Integer> skipped()
    {
        return skipped;
    }

    public int skippedCount()
    {
        return total(skipped);
    }

    /** One line per malformed entry: {@code line N: "id": what is wrong}. */
    public List<String> malformed()
    {
        return malformed;
    }

    /** Priced chat models left out because their provider is not among {@code --providers}. */
    public int filteredByProvider()
    {
        return filteredByProvider;
    }

    /** Priced chat models left out because {@code --include} finds no match in their id. */
    public int filteredByInclude()
    {
        return filteredByInclude;
    }

    /** Imported models the capabilities do not score: in the catalog's models, in no tier. */
    public List<String> withoutCapability()
    {
        return withoutCapability;
    }

    /** Capabilities naming no imported model (a typo, or a model skipped or filtered out), by id. */
    public List<String> unusedCapabilities()
    {
        return unusedCapabilities;
    }

    /** {@code --providers} values that no priced chat model has (a typo, or a provider with other casing). */
    public List<String> unmatchedProviders()
    {
        return unmatchedProviders;
    }

    /** Whether tiers come from capabilities (else from input price terciles). */
    public boolean tiersByCapability()
    {
        return options.tiersByCapability();
    }

    /** The capability a model was given, or {@code null}. */
    public Double capability(final String id)
    {
        return options.tiersByCapability() ? options.capabilities().get(id) : null;
    }

    /** The catalog file: SPEC §2 YAML with a header comment saying where it came from and how it was tiered. */
    public String yaml()
    {
        return CatalogYaml.write(this);
    }

    /** A number as plain decimal text without trailing zeros: {@code 0.25}, {@code 3}, {@code 0.00001}. */
    static String decimal(final BigDecimal value)
    {
        return value.signum() == 0 ? "0" : value.stripTrailingZeros().toPlainString();
    }

    /** A double as its shortest decimal, in plain notation (YAML 1.1 reads {@code 1.0E10} as a string). */
    static String decimal(final double value)
    {
        return decimal(new BigDecimal(Double.toString(value)));
    }

    private static int total(final Map<SkipReason, Integer> counts)
    {
        return counts.values().stream().mapToInt(Integer::intValue).sum();
    }

    ImportOptions options()
    {
        return options;
    }

    /** Collects an import as the price list streams by. */
    static final class Builder
    {
        static final String IMPORTED = "imported";

        final String source;
        final String sha256;
        final ImportOptions options;
        final List<PricedModel> models = new ArrayList<>();
        final Map<SkipReason, Integer> skipped = new EnumMap<>(SkipReason.class);
        final List<String> malformed = new ArrayList<>();
        final List<String> tierRules = new ArrayList<>();
        final Set<String> providersSeen = new HashSet<>();
        List<List<String>> tiers = List.of();
        int entries;
        int filteredByProvider;
        int filteredByInclude;
        /** What became of the entry classified last: {@link #IMPORTED}, "skipped as malformed", ... */
        String lastOutcome;

        Builder(final String source, final byte[] json, final ImportOptions options)
        {
            this.source = source;
            this.sha256 = sha256(json);
            this.options = options;
            for (final SkipReason reason : SkipReason.values())
            {
                skipped.put(reason, 0);
            }
        }

        void entry()
        {
            entries++;
        }

        void skip(final SkipReason reason)
        {
            skipped.merge(reason, 1, Integer::sum);
            lastOutcome = "skipped as " + reason.description();
        }

        void malformed(final PriceListReader.Entry entry, final String why)
        {
            skip(SkipReason.MALFORMED);
            malformed.add("line " + entry.line() + ": \"" + entry.id() + "\": " + why);
        }

        void accept(final PricedModel model)
        {
            if (model.provider() != null)
            {
                providersSeen.add(model.provider());
            }
            if (!options.providers().isEmpty() &&
                (model.provider() == null || !options.providers().contains(model.provider())))
            {
                filteredByProvider++;
                lastOutcome = "filtered out by --providers";
            }
            else if (options.include() != null && !options.include().matcher(model.id()).find())
            {
                filteredByInclude++;
                lastOutcome = "filtered out by --include";
            }
            else
            {
                models.add(model);
                lastOutcome = IMPORTED;
            }
        }

        int skippedCount()
        {
            return total(skipped);
        }

        int filtered()
        {
            return filteredByProvider + filteredByInclude;
        }

        ImportedCatalog build()
        {
            return new ImportedCatalog(this);
        }

        private static String sha256(final byte[] bytes)
        {
            try
            {
                final StringBuilder hex = new StringBuilder(64);
                for (final byte b : MessageDigest.getInstance("SHA-256").digest(bytes))
                {
                    hex.append(Character.forDigit((b >> 4) & 0xF, 16)).append(Character.forDigit(b & 0xF, 16));
                }
                return hex.toString();
            }
            catch (final NoSuchAlgorithmException ex)
            {
                throw new IllegalStateException("every JVM has SHA-256", ex);
            }
        }
    }
}

package dev.modelsel.catalog.litellm;

import dev.modelsel.catalog.CatalogException;
import dev.modelsel.catalog.CatalogProblem;
import dev.modelsel.catalog.RateLimits;
import dev.modelsel.catalog.SourceFiles;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Imports LiteLLM's public price list into a catalog (SPEC §2). Any snapshot of the file will do: every entry with
 * {@code mode: chat}, an {@code input_cost_per_token} and a positive {@code max_input_tokens} becomes a model, and
 * every other entry is counted under a {@link SkipReason}. Prices stay exact decimals. Models are tiered by
 * capability thresholds when capabilities are given, else by input price terciles; inside a tier, by id.
 * <p>
 * Stateless and thread-safe.
 */
public final class LiteLlmImport
{
    /** The real list is a few MiB; far above it, far below what would strain the heap. */
    static final int MAX_PRICE_LIST_BYTES = 256 << 20;

    /** The catalog's own bound on a context window (docs/decisions.md): doubles hold every integer up to it. */
    private static final BigDecimal MAX_CONTEXT_WINDOW = BigDecimal.valueOf(1L << 53);
    private static final BigDecimal MAX_DOUBLE = new BigDecimal(Double.MAX_VALUE);
    /** Bounds on a price per million tokens as written: far beyond real prices, far within what a double keeps. */
    private static final int MAX_PRICE_SCALE = 30;
    private static final int MAX_PRICE_DIGITS = 40;

    private LiteLlmImport()
    {
    }

    /**
     * @param prices  the price list file.
     * @param options what to keep and how to tier.
     * @return the imported catalog, ready to write.
     * @throws CatalogException when the file cannot be read, is not a price list, or leaves nothing to tier.
     */
    public static ImportedCatalog fromFile(final Path prices, final ImportOptions options) throws CatalogException
    {
        final byte[] json = SourceFiles.read(prices, MAX_PRICE_LIST_BYTES, "a price list");
        return fromJson(prices.toString(), json, options);
    }

    /**
     * @param source  the name messages and the output's header give the price list.
     * @param json    the price list's bytes (UTF-8 JSON).
     * @param options what to keep and how to tier.
     * @return the imported catalog, ready to write.
     * @throws CatalogException when the bytes are not a price list or leave nothing to tier.
     */
    public static ImportedCatalog fromJson(final String source, final byte[] json, final ImportOptions options)
        throws CatalogException
    {
        final ImportedCatalog.Builder result = new ImportedCatalog.Builder(source, json, options);
        final Map<String, First> seen = new HashMap<>();
        PriceListReader.read(source, json, entry ->
        {
            result.entry();
            final First first = seen.get(entry.id());
            if (first != null)
            {
                // A later entry never replaces the first, nor stands in for a first that was skipped.
                result.malformed(entry, "the id is given twice: line " + first.line + " gives it first (" +
                    first.outcome + "); this later entry is not imported" + (first.imported() ? "" : " either"));
                return;
            }
            classify(entry, result);
            seen.put(entry.id(), new First(entry.line(), result.lastOutcome));
        });
        result.models.sort(Comparator.comparing(PricedModel::id));
        if (result.models.isEmpty())
        {
            throw problem(source, "no model to import: " + result.entries + " entries, " + result.skippedCount() +
                " skipped, " + result.filtered() + " filtered out");
        }
        result.tiers = options.tiersByCapability() ? Tiering.byCapability(result.models, options, result.tierRules) :
            Tiering.byPrice(result.models, result.tierRules);
        if (result.tiers.isEmpty())
        {
            throw problem(source, "none of the " + result.models.size() + " imported models has a capability in " +
                options.capabilitiesSource() + ", so no tier would hold a model");
        }
        return result.build();
    }

    /** An id's first entry: its line, and what became of it ({@code imported}, {@code skipped as ...}). */
    private record First(int line, String outcome)
    {
        boolean imported()
        {
            return outcome.equals(ImportedCatalog.Builder.IMPORTED);
        }
    }

    private static void classify(final PriceListReader.Entry entry, final ImportedCatalog.Builder result)
    {
        if (entry.id().equals("sample_spec"))
        {
            result.skip(SkipReason.SAMPLE_SPEC);
            return;
        }
        if (entry.shape() != null)
        {
            result.malformed(entry, "not a model entry: " + entry.shape().describe() + " where an object should be");
            return;
        }
        final PriceListReader.Field mode = entry.field(PriceListReader.Key.MODE);
        if (mode != null && !mode.isNull() && !mode.isString())
        {
            result.malformed(entry, "mode is " + mode.describe() + ", not a string");
            return;
        }
        if (mode == null || mode.isNull() || !mode.text().equals("chat"))
        {
            result.skip(SkipReason.NOT_CHAT);
            return;
        }
        final PriceListReader.Field inputCost = entry.field(PriceListReader.Key.INPUT_COST);
        final PriceListReader.Field window = entry.field(PriceListReader.Key.MAX_INPUT_TOKENS);
        if (inputCost == null || inputCost.isNull())
        {
            result.skip(SkipReason.NO_PRICE);
            return;
        }
        final String problem = problemOf(entry, inputCost, window);
        if (problem != null)
        {
            result.malformed(entry, problem);
            return;
        }
        if (window == null || window.isNull() || window.number().signum() == 0)
        {
            result.skip(SkipReason.NO_CONTEXT);
            return;
        }
        final PriceListReader.Field outputCost = entry.field(PriceListReader.Key.OUTPUT_COST);
        final PriceListReader.Field provider = entry.field(PriceListReader.Key.PROVIDER);
        result.accept(new PricedModel(entry.id(), entry.line(), window.number().longValueExact(),
            perMillion(inputCost), outputCost == null || outputCost.isNull() ? null : perMillion(outputCost),
            provider == null || provider.isNull() ? null : provider.text(),
            limit(entry.field(PriceListReader.Key.RPM)), limit(entry.field(PriceListReader.Key.TPM))));
    }

    /** A rate limit the entry gives (checked by {@link #problemOf}), or 0 for none. */
    private static long limit(final PriceListReader.Field field)
    {
        return field == null || field.isNull() ? 0 : field.number().longValueExact();
    }

    private static String limitProblem(final String key, final PriceListReader.Field field)
    {
        if (field == null || field.isNull())
        {
            return null;
        }
        final BigDecimal value = field.number();
        if (value == null || value.signum() <= 0 || value.stripTrailingZeros().scale() > 0 ||
            value.compareTo(BigDecimal.valueOf(RateLimits.MAX)) > 0)
        {
            return key + " is " + field.describe() + ", not a whole number from 1 to " + RateLimits.MAX;
        }
        return null;
    }

    /** What makes a chat entry with a price unusable, or {@code null} when nothing does. */
    private static String problemOf(final PriceListReader.Entry entry, final PriceListReader.Field inputCost,
        final PriceListReader.Field window)
    {
        if (entry.id().isEmpty())
        {
            return "the id is empty";
        }
        if (entry.repeatedKey() != null)
        {
            return entry.repeatedKey() + " is given twice";
        }
        final String price = priceProblem("input_cost_per_token", inputCost);
        if (price != null)
        {
            return price;
        }
        final String outputPrice = priceProblem("output_cost_per_token", entry.field(PriceListReader.Key.OUTPUT_COST));
        if (outputPrice != null)
        {
            return outputPrice;
        }
        if (window != null && !window.isNull())
        {
            final BigDecimal tokens = window.number();
            if (tokens == null || tokens.signum() < 0 || tokens.stripTrailingZeros().scale() > 0 ||
                tokens.compareTo(MAX_CONTEXT_WINDOW) > 0)
            {
                return "max_input_tokens is " + window.describe() + ", not a whole number from 0 to 2^53";
            }
        }
        final PriceListReader.Field provider = entry.field(PriceListReader.Key.PROVIDER);
        if (provider != null && !provider.isNull() && !provider.isString())
        {
            return "litellm_provider is " + provider.describe() + ", not a string";
        }
        final String rpm = limitProblem("rpm", entry.field(PriceListReader.Key.RPM));
        return rpm != null ? rpm : limitProblem("tpm", entry.field(PriceListReader.Key.TPM));
    }

    private static String priceProblem(final String key, final PriceListReader.Field price)
    {
        if (price == null || price.isNull())
        {
            return null;
        }
        if (price.number() == null || price.number().signum() < 0)
        {
            return key + " is " + price.describe() + ", not a finite number >= 0";
        }
        if (price.number().movePointRight(6).compareTo(MAX_DOUBLE) > 0)
        {
            return key + " is " + price.describe() + ", out of range: at most about 1.8e302 per token (a catalog " +
                "holds prices per million tokens as doubles, at most " + Double.MAX_VALUE + ")";
        }
        final BigDecimal perMillion = price.number().movePointRight(6).stripTrailingZeros();
        if (perMillion.signum() != 0 && (perMillion.scale() > MAX_PRICE_SCALE || perMillion.precision() > MAX_PRICE_DIGITS))
        {
            // 1e-999999999 would be a billion digits written out, and far below any double: it would load as 0.
            return key + " is " + price.describe() + ", more digits or a smaller price than a catalog keeps (at most " +
                MAX_PRICE_DIGITS + " significant digits, down to 1e-" + MAX_PRICE_SCALE + " per million tokens)";
        }
        return null;
    }

    private static BigDecimal perMillion(final PriceListReader.Field perToken)
    {
        return perToken.number().movePointRight(6);
    }

    private static CatalogException problem(final String source, final String message)
    {
        return new CatalogException(List.of(new CatalogProblem(source, "", 0, message)), List.of());
    }
}

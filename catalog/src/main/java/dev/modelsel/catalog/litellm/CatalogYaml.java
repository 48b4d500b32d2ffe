package dev.modelsel.catalog.litellm;

import java.util.List;
import java.util.Map;

/**
 * Writes an {@link ImportedCatalog} as SPEC §2 YAML. Ids and providers are double-quoted with every character
 * outside printable ASCII escaped, so that {@code /}, {@code :}, {@code @} or anything stranger reads back as
 * written; numbers are plain decimals, so that they read back exactly.
 */
final class CatalogYaml
{
    /** SnakeYAML's limit on an implicit key is 1,024 characters; keep a margin. */
    private static final int MAX_IMPLICIT_KEY = 1_000;

    private CatalogYaml()
    {
    }

    static String write(final ImportedCatalog catalog)
    {
        final StringBuilder out = new StringBuilder(256 + catalog.models().size() * 160);
        header(catalog, out);
        out.append("version: 1\n");
        out.append("models:\n");
        for (final PricedModel model : catalog.models())
        {
            key(out, quoted(model.id()));
            out.append("    context_window: ").append(model.contextWindow()).append('\n');
            out.append("    input_cost_per_mtok: ").append(ImportedCatalog.decimal(model.inputCostPerMtok())).append('\n');
            if (model.outputCostPerMtok() != null)
            {
                out.append("    output_cost_per_mtok: ").append(ImportedCatalog.decimal(model.outputCostPerMtok()))
                    .append('\n');
            }
            final Double capability = catalog.capability(model.id());
            if (capability != null)
            {
                out.append("    capability: ").append(ImportedCatalog.decimal(capability)).append('\n');
            }
            if (model.provider() != null)
            {
                out.append("    provider: ").append(quoted(model.provider())).append('\n');
            }
            if (model.hasLimits())
            {
                out.append("    limits: {").append(model.rpm() == 0 ? "" : "rpm: " + model.rpm())
                    .append(model.rpm() != 0 && model.tpm() != 0 ? ", " : "")
                    .append(model.tpm() == 0 ? "" : "tpm: " + model.tpm()).append("}\n");
            }
        }
        out.append("tiers:\n");
        final List<List<String>> tiers = catalog.tiers();
        for (int tier = 0; tier < tiers.size(); tier++)
        {
            out.append("  - tier: ").append(tier + 1).append('\n');
            out.append("    models:\n");
            for (final String id : tiers.get(tier))
            {
                out.append("      - ").append(quoted(id)).append('\n');
            }
        }
        return out.toString();
    }

    /**
     * A model's key. YAML allows an implicit key of at most 1,024 characters; a longer one (an id of a thousand
     * characters, or a few hundred escaped ones) takes the explicit form {@code ? "id"} then {@code :}.
     */
    private static void key(final StringBuilder out, final String quotedId)
    {
        if (quotedId.length() <= MAX_IMPLICIT_KEY)
        {
            out.append("  ").append(quotedId).append(":\n");
        }
        else
        {
            out.append("  ? ").append(quotedId).append("\n  :\n");
        }
    }

    private static void header(final ImportedCatalog catalog, final StringBuilder out)
    {
        comment(out, "Imported from LiteLLM's price list by `modelsel catalog import-litellm`; edit the inputs and " +
            "import again rather than editing this file.");
        comment(out, "Source: " + catalog.source() + " (sha256 " + catalog.sha256() + "), " + catalog.entries() +
            " entries.");
        comment(out, "Imported " + catalog.models().size() + " chat models: context_window = max_input_tokens, " +
            "*_cost_per_mtok = *_cost_per_token x 1e6, provider = litellm_provider, limits = rpm and tpm where given.");
        comment(out, "Skipped " + catalog.skippedCount() + " entries:");
        for (final Map.Entry<SkipReason, Integer> skip : catalog.skipped().entrySet())
        {
            comment(out, "  " + skip.getValue() + " " + skip.getKey().description());
        }
        for (final String line : catalog.malformed())
        {
            comment(out, "    malformed: " + line);
        }
        if (catalog.filteredByProvider() + catalog.filteredByInclude() > 0)
        {
            comment(out, "Filtered out: " + catalog.filteredByProvider() + " by --providers, " +
                catalog.filteredByInclude() + " by --include.");
        }
        final ImportOptions options = catalog.options();
        if (catalog.tiersByCapability())
        {
            comment(out, "Tiers by capability from " + options.capabilitiesSource() + ":");
        }
        else
        {
            comment(out, "Tiers by input price terciles: no capabilities were given, so every model takes the " +
                "catalog's default capability (0.7) and, inside a tier, the cheapest fitting model wins.");
        }
        catalog.tierRules().forEach(rule -> comment(out, "  " + rule));
        comment(out, "Inside each tier, models are ordered by id.");
        final List<String> untiered = catalog.withoutCapability();
        if (!untiered.isEmpty())
        {
            comment(out, untiered.size() + " models have no capability in " + options.capabilitiesSource() +
                ": they are in models (priced for cost tracking) but in no tier, so never selected:");
            untiered.forEach(id -> comment(out, "  " + id));
        }
        out.append('\n');
    }

    /** Comment text is escaped like ids (quotes aside), so that a line break in an id cannot end the comment. */
    private static void comment(final StringBuilder out, final String text)
    {
        out.append("# ");
        escaped(text, false, out);
        out.append('\n');
    }

    /** A YAML double-quoted scalar; printable ASCII stays, everything else is a {@code \\u} or {@code \\U} escape. */
    static String quoted(final String text)
    {
        final StringBuilder out = new StringBuilder(text.length() + 2).append('"');
        escaped(text, true, out);
        return out.append('"').toString();
    }

    private static void escaped(final String text, final boolean escapeQuotes, final StringBuilder out)
    {
        text.codePoints().forEach(c ->
        {
            if (escapeQuotes && (c == '"' || c == '\\'))
            {
                out.append('\\').append((char)c);
            }
            else if (c >= 0x20 && c < 0x7F)
            {
                out.append((char)c);
            }
            else if (c <= 0xFFFF)
            {
                out.append(String.format("\\u%04X", c));
            }
            else
            {
                out.append(String.format("\\U%08X", c));
            }
        });
    }
}

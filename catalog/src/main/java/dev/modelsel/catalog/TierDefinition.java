package dev.modelsel.catalog;

import java.util.List;

/**
 * One tier of a loaded catalog.
 *
 * @param number        1..N; tier 1 is the most capable.
 * @param minCapability models below it are not candidates of this tier.
 * @param models        model ids in the file's order, which breaks score ties.
 */
public record TierDefinition(int number, double minCapability, List<String> models)
{
    public TierDefinition
    {
        models = List.copyOf(models);
    }
}

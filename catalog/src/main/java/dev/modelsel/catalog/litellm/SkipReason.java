package dev.modelsel.catalog.litellm;

/** Why a price list entry did not become a model, in the order the importer checks. */
public enum SkipReason
{
    SAMPLE_SPEC("sample_spec (the price list's own field documentation)"),
    MALFORMED("malformed"),
    NOT_CHAT("not chat (mode is not \"chat\")"),
    NO_PRICE("no price (no input_cost_per_token)"),
    NO_CONTEXT("no context (no positive max_input_tokens)");

    private final String description;

    SkipReason(final String description)
    {
        this.description = description;
    }

    /** How the import summary names it. */
    public String description()
    {
        return description;
    }
}

package dev.chatplatform.flags;

/**
 * The outcome of evaluating one flag.
 *
 * @param flagKey the flag
 * @param variant the variant served (the flag's off variant when not included), or null when the flag is unknown
 * @param on      whether the caller is included (the variant is not the off variant)
 * @param reason  why
 * @param version the flag version evaluated (0 when unknown)
 */
public record Evaluation(String flagKey, String variant, boolean on, EvaluationReason reason, long version) {

    public static Evaluation notFound(String flagKey) {
        return new Evaluation(flagKey, null, false, EvaluationReason.FLAG_NOT_FOUND, 0);
    }
}

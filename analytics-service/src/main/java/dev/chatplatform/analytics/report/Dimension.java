package dev.chatplatform.analytics.report;

/** What usage rows can be grouped and filtered by. */
public enum Dimension {
    ACCOUNT("account_id", "accountId"),
    MODEL("model", "model"),
    PROVIDER("provider", "provider"),
    /** The kind of model call, {@code chat} or {@code embeddings}: the usage report only. */
    KIND("kind", "kind");

    final String column;
    /** The name in requests ({@code groupBy=account}, {@code accountId=...}) and in rows. */
    public final String field;

    Dimension(String column, String field) {
        this.column = column;
        this.field = field;
    }
}

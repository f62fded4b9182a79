package dev.chatplatform.contracts.billing;

/** Compacted state topics written by billing-service. */
public final class Topics {

    /** Latest state of every account, keyed by account id; a tombstone means deleted. */
    public static final String ACCOUNTS = "accounts.v1";
    /** Latest state of every API key, keyed by key id; consumed by the gateway to authenticate. */
    public static final String API_KEYS = "api-keys.v1";

    private Topics() {
    }
}

package dev.chatplatform.contracts.billing;

/** Topics written by billing-service: compacted state topics, and billing.v1 (invoice events). */
public final class Topics {

    /** Latest state of every account, keyed by account id; a tombstone means deleted. */
    public static final String ACCOUNTS = "accounts.v1";
    /** Latest state of every API key, keyed by key id; consumed by the gateway to authenticate. */
    public static final String API_KEYS = "api-keys.v1";
    /** Latest subscription (tier in force) of every account, keyed by account id. */
    public static final String SUBSCRIPTIONS = "subscriptions.v1";
    /** Latest OIDC subject to account mapping, keyed by subject; followed by the gateway. */
    public static final String OIDC_SUBJECTS = "oidc-subjects.v1";
    /** Invoices paid and payments failed, keyed by account id (not compacted). */
    public static final String BILLING = "billing.v1";

    private Topics() {
    }
}

package dev.chatplatform.launcher;

/** The seven deployable services, their module (and jar) names, port offsets and databases. */
enum Service {
    GATEWAY("gateway", 0, null, null),
    CHAT("chat-service", 1, "chat", "CHAT_SERVICE_URL"),
    PROVIDER("provider-service", 2, "provider", "PROVIDER_SERVICE_URL"),
    BILLING("billing-service", 3, "billing", "BILLING_SERVICE_URL"),
    USAGE("usage-service", 4, "usage", "USAGE_SERVICE_URL"),
    ROLLOUT("rollout-service", 5, "rollout", "ROLLOUT_SERVICE_URL"),
    ANALYTICS("analytics-service", 6, "analytics", "ANALYTICS_SERVICE_URL");

    final String module;
    final int portOffset;
    /** The database the service owns, or null (the gateway has none). */
    final String database;
    /** The variable other services find this one by. */
    final String urlVariable;

    Service(String module, int portOffset, String database, String urlVariable) {
        this.module = module;
        this.portOffset = portOffset;
        this.database = database;
        this.urlVariable = urlVariable;
    }
}

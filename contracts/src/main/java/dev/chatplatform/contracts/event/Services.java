package dev.chatplatform.contracts.event;

import java.util.List;

/**
 * The platform's services by name: each one's {@code spring.application.name}, the {@code ce_source} of the
 * events it publishes and, outside the local platform, its Kafka principal ({@code User:<name>}).
 */
public final class Services {

    public static final String GATEWAY = "gateway";
    public static final String CHAT_SERVICE = "chat-service";
    public static final String PROVIDER_SERVICE = "provider-service";
    public static final String BILLING_SERVICE = "billing-service";
    public static final String USAGE_SERVICE = "usage-service";
    public static final String ROLLOUT_SERVICE = "rollout-service";
    public static final String ANALYTICS_SERVICE = "analytics-service";

    public static final List<String> ALL = List.of(GATEWAY, CHAT_SERVICE, PROVIDER_SERVICE, BILLING_SERVICE,
            USAGE_SERVICE, ROLLOUT_SERVICE, ANALYTICS_SERVICE);

    private Services() {
    }
}

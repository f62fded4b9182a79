package dev.chatplatform.contracts.event;

import dev.chatplatform.contracts.audit.AuditRecorded;
import dev.chatplatform.contracts.billing.AccountChanged;
import dev.chatplatform.contracts.billing.ApiKeyChanged;
import dev.chatplatform.contracts.billing.InvoiceChanged;
import dev.chatplatform.contracts.billing.OidcSubjectChanged;
import dev.chatplatform.contracts.billing.SubscriptionChanged;
import dev.chatplatform.contracts.chat.ConversationChanged;
import dev.chatplatform.contracts.chat.MessageRecorded;
import dev.chatplatform.contracts.provider.LlmCallRecorded;
import dev.chatplatform.contracts.rollout.FlagChanged;
import dev.chatplatform.contracts.rollout.RolloutDecided;
import dev.chatplatform.contracts.usage.QuotaChanged;
import dev.chatplatform.contracts.usage.QuotaThresholdCrossed;
import dev.chatplatform.contracts.usage.UsageRecorded;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static dev.chatplatform.contracts.event.Services.ANALYTICS_SERVICE;
import static dev.chatplatform.contracts.event.Services.BILLING_SERVICE;
import static dev.chatplatform.contracts.event.Services.CHAT_SERVICE;
import static dev.chatplatform.contracts.event.Services.GATEWAY;
import static dev.chatplatform.contracts.event.Services.PROVIDER_SERVICE;
import static dev.chatplatform.contracts.event.Services.ROLLOUT_SERVICE;
import static dev.chatplatform.contracts.event.Services.USAGE_SERVICE;

/** Every event type the platform publishes. A type missing here cannot be published or consumed. */
public final class EventCatalog {

    public static final List<EventType<?>> ALL = List.of(
            UsageRecorded.TYPE,
            QuotaChanged.TYPE,
            QuotaThresholdCrossed.TYPE,
            AccountChanged.TYPE,
            ApiKeyChanged.TYPE,
            SubscriptionChanged.TYPE,
            OidcSubjectChanged.TYPE,
            InvoiceChanged.TYPE,
            FlagChanged.TYPE,
            RolloutDecided.TYPE,
            LlmCallRecorded.TYPE,
            ConversationChanged.TYPE,
            MessageRecorded.TYPE,
            AuditRecorded.TYPE);

    private static final TopicDefinition USAGE = new TopicDefinition(dev.chatplatform.contracts.usage.Topics.USAGE,
            false, "account id", CHAT_SERVICE, Set.of(USAGE_SERVICE, BILLING_SERVICE, ROLLOUT_SERVICE, ANALYTICS_SERVICE),
            Set.of(USAGE_SERVICE)); // usage-service bills a request whose hold expired without chat-service's event

    /** Every topic of events, its producer (the only {@code ce_source} its consumers accept) and its consumers. */
    private static final List<TopicDefinition> EVENT_TOPICS = List.of(
            USAGE,
            new TopicDefinition(dev.chatplatform.contracts.usage.Topics.QUOTA, true, "account id",
                    USAGE_SERVICE, Set.of(GATEWAY, CHAT_SERVICE, ANALYTICS_SERVICE)),
            new TopicDefinition(dev.chatplatform.contracts.usage.Topics.QUOTA_THRESHOLDS, false, "account id",
                    USAGE_SERVICE, Set.of(ANALYTICS_SERVICE)),
            new TopicDefinition(dev.chatplatform.contracts.billing.Topics.ACCOUNTS, true, "account id",
                    BILLING_SERVICE, Set.of(GATEWAY, USAGE_SERVICE, PROVIDER_SERVICE, ANALYTICS_SERVICE)),
            new TopicDefinition(dev.chatplatform.contracts.billing.Topics.API_KEYS, true, "API key id",
                    BILLING_SERVICE, Set.of(GATEWAY, ANALYTICS_SERVICE)),
            new TopicDefinition(dev.chatplatform.contracts.billing.Topics.SUBSCRIPTIONS, true, "account id",
                    BILLING_SERVICE, Set.of(USAGE_SERVICE, ANALYTICS_SERVICE)),
            new TopicDefinition(dev.chatplatform.contracts.billing.Topics.OIDC_SUBJECTS, true, "OIDC subject",
                    BILLING_SERVICE, Set.of(GATEWAY, ANALYTICS_SERVICE)),
            new TopicDefinition(dev.chatplatform.contracts.billing.Topics.BILLING, false, "account id",
                    BILLING_SERVICE, Set.of(ANALYTICS_SERVICE)),
            new TopicDefinition(dev.chatplatform.contracts.rollout.Topics.FLAGS, true, "flag key",
                    ROLLOUT_SERVICE, Set.of(PROVIDER_SERVICE, ANALYTICS_SERVICE)),
            new TopicDefinition(dev.chatplatform.contracts.rollout.Topics.DECISIONS, false, "flag key",
                    ROLLOUT_SERVICE, Set.of(ANALYTICS_SERVICE)),
            new TopicDefinition(dev.chatplatform.contracts.provider.Topics.LLM_CALLS, false, "account id",
                    PROVIDER_SERVICE, Set.of(ROLLOUT_SERVICE, ANALYTICS_SERVICE, USAGE_SERVICE)),
            new TopicDefinition(dev.chatplatform.contracts.chat.Topics.CONVERSATIONS, false, "account id",
                    CHAT_SERVICE, Set.of(ANALYTICS_SERVICE)),
            // every service that owns admin actions writes its own entries (ce_source names it)
            new TopicDefinition(dev.chatplatform.contracts.audit.Topics.AUDIT, false, "target type:target id",
                    BILLING_SERVICE, Set.of(ANALYTICS_SERVICE),
                    Set.of(PROVIDER_SERVICE, ROLLOUT_SERVICE, USAGE_SERVICE, ANALYTICS_SERVICE)));

    /**
     * Every topic: each topic of events followed by its dead-letter topic ({@code <topic>.dlt}, written by the
     * topic's consumers). The local platform's services create the topics missing at start-up; elsewhere
     * kafka-init creates them and grants exactly these producers and consumers.
     */
    public static final List<TopicDefinition> TOPICS = EVENT_TOPICS.stream()
            .flatMap(t -> Stream.of(t, TopicDefinition.deadLettersOf(t))).toList();

    private static final Map<String, TopicDefinition> TOPIC_BY_NAME =
            TOPICS.stream().collect(Collectors.toUnmodifiableMap(TopicDefinition::name, Function.identity()));

    private static final Map<String, EventType<?>> BY_NAME =
            ALL.stream().collect(Collectors.toUnmodifiableMap(EventType::name, Function.identity()));

    private EventCatalog() {
    }

    public static Optional<EventType<?>> byName(String name) {
        return Optional.ofNullable(BY_NAME.get(name));
    }

    /** The topic named {@code name}, with its producer and consumers. */
    public static Optional<TopicDefinition> topic(String name) {
        return Optional.ofNullable(TOPIC_BY_NAME.get(name));
    }
}

package dev.chatplatform.contracts.event;

import dev.chatplatform.contracts.billing.AccountChanged;
import dev.chatplatform.contracts.billing.ApiKeyChanged;
import dev.chatplatform.contracts.billing.InvoiceChanged;
import dev.chatplatform.contracts.billing.OidcSubjectChanged;
import dev.chatplatform.contracts.billing.SubscriptionChanged;
import dev.chatplatform.contracts.chat.ConversationChanged;
import dev.chatplatform.contracts.chat.MessageRecorded;
import dev.chatplatform.contracts.provider.LlmCallRecorded;
import dev.chatplatform.contracts.rollout.FlagAudited;
import dev.chatplatform.contracts.rollout.FlagChanged;
import dev.chatplatform.contracts.rollout.RolloutDecided;
import dev.chatplatform.contracts.usage.QuotaChanged;
import dev.chatplatform.contracts.usage.QuotaThresholdCrossed;
import dev.chatplatform.contracts.usage.UsageRecorded;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

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
            FlagAudited.TYPE,
            LlmCallRecorded.TYPE,
            ConversationChanged.TYPE,
            MessageRecorded.TYPE);

    /** Every topic of events, with the service that alone publishes on it. */
    private static final List<TopicDefinition> EVENT_TOPICS = List.of(
            new TopicDefinition(dev.chatplatform.contracts.usage.Topics.USAGE, false, "account id", "chat-service"),
            new TopicDefinition(dev.chatplatform.contracts.usage.Topics.QUOTA, true, "account id", "usage-service"),
            new TopicDefinition(dev.chatplatform.contracts.usage.Topics.QUOTA_THRESHOLDS, false, "account id", "usage-service"),
            new TopicDefinition(dev.chatplatform.contracts.billing.Topics.ACCOUNTS, true, "account id", "billing-service"),
            new TopicDefinition(dev.chatplatform.contracts.billing.Topics.API_KEYS, true, "API key id", "billing-service"),
            new TopicDefinition(dev.chatplatform.contracts.billing.Topics.SUBSCRIPTIONS, true, "account id", "billing-service"),
            new TopicDefinition(dev.chatplatform.contracts.billing.Topics.OIDC_SUBJECTS, true, "OIDC subject", "billing-service"),
            new TopicDefinition(dev.chatplatform.contracts.billing.Topics.BILLING, false, "account id", "billing-service"),
            new TopicDefinition(dev.chatplatform.contracts.rollout.Topics.FLAGS, true, "flag key", "rollout-service"),
            new TopicDefinition(dev.chatplatform.contracts.rollout.Topics.DECISIONS, false, "flag key", "rollout-service"),
            new TopicDefinition(dev.chatplatform.contracts.rollout.Topics.AUDIT, false, "flag key", "rollout-service"),
            new TopicDefinition(dev.chatplatform.contracts.provider.Topics.LLM_CALLS, false, "account id", "provider-service"),
            new TopicDefinition(dev.chatplatform.contracts.chat.Topics.CONVERSATIONS, false, "account id", "chat-service"));

    /**
     * Every topic: each topic of events followed by its dead-letter topic ({@code <topic>.dlt}). Services create
     * the ones missing at start-up.
     */
    public static final List<TopicDefinition> TOPICS = EVENT_TOPICS.stream()
            .flatMap(t -> Stream.of(t, t.deadLetters())).toList();

    private static final Map<String, TopicDefinition> TOPIC_BY_NAME =
            TOPICS.stream().collect(Collectors.toUnmodifiableMap(TopicDefinition::name, Function.identity()));

    private static final Map<String, EventType<?>> BY_NAME =
            ALL.stream().collect(Collectors.toUnmodifiableMap(EventType::name, Function.identity()));

    private EventCatalog() {
    }

    public static Optional<EventType<?>> byName(String name) {
        return Optional.ofNullable(BY_NAME.get(name));
    }

    /** The topic named {@code name}, with its producer. */
    public static Optional<TopicDefinition> topic(String name) {
        return Optional.ofNullable(TOPIC_BY_NAME.get(name));
    }
}

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

    /** Every topic; services create the ones missing at start-up. */
    public static final List<TopicDefinition> TOPICS = List.of(
            new TopicDefinition(dev.chatplatform.contracts.usage.Topics.USAGE, false, "account id"),
            new TopicDefinition(dev.chatplatform.contracts.usage.Topics.USAGE_DLT, false, "account id (as on usage.v1)"),
            new TopicDefinition(dev.chatplatform.contracts.usage.Topics.QUOTA, true, "account id"),
            new TopicDefinition(dev.chatplatform.contracts.usage.Topics.QUOTA_THRESHOLDS, false, "account id"),
            new TopicDefinition(dev.chatplatform.contracts.billing.Topics.ACCOUNTS, true, "account id"),
            new TopicDefinition(dev.chatplatform.contracts.billing.Topics.API_KEYS, true, "API key id"),
            new TopicDefinition(dev.chatplatform.contracts.billing.Topics.SUBSCRIPTIONS, true, "account id"),
            new TopicDefinition(dev.chatplatform.contracts.billing.Topics.OIDC_SUBJECTS, true, "OIDC subject"),
            new TopicDefinition(dev.chatplatform.contracts.billing.Topics.BILLING, false, "account id"),
            new TopicDefinition(dev.chatplatform.contracts.rollout.Topics.FLAGS, true, "flag key"),
            new TopicDefinition(dev.chatplatform.contracts.rollout.Topics.DECISIONS, false, "flag key"),
            new TopicDefinition(dev.chatplatform.contracts.rollout.Topics.AUDIT, false, "flag key"),
            new TopicDefinition(dev.chatplatform.contracts.provider.Topics.LLM_CALLS, false, "account id"),
            new TopicDefinition(dev.chatplatform.contracts.chat.Topics.CONVERSATIONS, false, "account id"));

    private static final Map<String, EventType<?>> BY_NAME =
            ALL.stream().collect(Collectors.toUnmodifiableMap(EventType::name, Function.identity()));

    private EventCatalog() {
    }

    public static Optional<EventType<?>> byName(String name) {
        return Optional.ofNullable(BY_NAME.get(name));
    }
}

package dev.chatplatform.analytics.ingest;

import dev.chatplatform.contracts.billing.AccountChanged;
import dev.chatplatform.contracts.billing.InvoiceChanged;
import dev.chatplatform.contracts.billing.SubscriptionChanged;
import dev.chatplatform.contracts.chat.ConversationChanged;
import dev.chatplatform.contracts.chat.MessageRecorded;
import dev.chatplatform.contracts.provider.LlmCallRecorded;
import dev.chatplatform.contracts.rollout.RolloutDecided;
import dev.chatplatform.contracts.usage.UsageRecorded;
import dev.chatplatform.kit.events.UnreadableEventException;

/**
 * What the records' constructors do not check but the rollups rely on (no blank keys, no negative counts or money).
 * An event that breaks a rule can never be applied: the kit dead-letters it, never retries it.
 */
final class EventValidation {

    private EventValidation() {
    }

    /** Returns {@code data} when it can be rolled up; throws {@link UnreadableEventException} otherwise. */
    static Record validated(Record data) {
        switch (data) {
            case UsageRecorded u -> UnreadableEventException.refuse(UsageRecorded.TYPE.name(), u.violation());
            case LlmCallRecorded c -> {
                String type = LlmCallRecorded.TYPE.name();
                notBlank(type, "accountId", c.accountId());
                notBlank(type, "provider", c.provider());
                notBlank(type, "model", c.model());
                notNegative(type, "tokens", Math.min(c.inputTokens(), Math.min(c.cachedInputTokens(), c.outputTokens())));
                notNegative(type, "costMicroUsd", c.costMicroUsd());
                notNegative(type, "latencyMs", c.latencyMs());
                notNegative(type, "timeToFirstTokenMs", c.timeToFirstTokenMs());
                c.flagVariants().forEach((flag, variant) -> {
                    notBlank(type, "flagVariants key", flag);
                    notBlank(type, "flagVariants value", variant);
                });
            }
            case RolloutDecided d -> notBlank(RolloutDecided.TYPE.name(), "flagKey", d.flagKey());
            case SubscriptionChanged s -> {
                String type = SubscriptionChanged.TYPE.name();
                notBlank(type, "accountId", s.accountId());
                notNegative(type, "monthlyAmount", s.monthlyAmount());
                require(s.currency() == null || s.currency().matches("[a-z]{3}"), type, "currency is not an ISO 4217 code");
            }
            case InvoiceChanged i -> {
                String type = InvoiceChanged.TYPE.name();
                notBlank(type, "accountId", i.accountId());
                notBlank(type, "invoiceId", i.invoiceId());
                notNegative(type, "amountPaid", i.amountPaid());
            }
            case ConversationChanged c -> {
                notBlank(ConversationChanged.TYPE.name(), "accountId", c.accountId());
                notBlank(ConversationChanged.TYPE.name(), "model", c.model());
            }
            case MessageRecorded m -> {
                String type = MessageRecorded.TYPE.name();
                notBlank(type, "accountId", m.accountId());
                notBlank(type, "model", m.model());
                notBlank(type, "role", m.role());
                notBlank(type, "status", m.status());
                notNegative(type, "tokens", Math.min(m.inputTokens(), Math.min(m.cachedInputTokens(), m.outputTokens())));
            }
            case AccountChanged a -> notBlank(AccountChanged.TYPE.name(), "accountId", a.accountId());
            default -> {
            }
        }
        return data;
    }

    private static void notBlank(String type, String field, String value) {
        require(value != null && !value.isBlank(), type, field + " is blank");
    }

    private static void notNegative(String type, String field, Long value) {
        require(value == null || value >= 0, type, field + " is negative");
    }

    private static void require(boolean condition, String type, String reason) {
        if (!condition) {
            throw new UnreadableEventException("invalid " + type + ": " + reason);
        }
    }
}

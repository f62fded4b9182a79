package dev.chatplatform.analytics.ingest;

import dev.chatplatform.contracts.billing.AccountChanged;
import dev.chatplatform.contracts.billing.InvoiceChanged;
import dev.chatplatform.contracts.billing.SubscriptionChanged;
import dev.chatplatform.contracts.chat.ConversationChanged;
import dev.chatplatform.contracts.chat.MessageRecorded;
import dev.chatplatform.contracts.provider.LlmCallRecorded;
import dev.chatplatform.contracts.rollout.RolloutDecided;
import dev.chatplatform.contracts.usage.UsageRecorded;
import dev.chatplatform.kit.events.InboundEvent;
import dev.chatplatform.kit.events.ProcessedEvents;
import org.springframework.stereotype.Service;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;

/**
 * Applies events to the rollups, each event once. Every event is counted by topic and type; the types with
 * rollups of their own are rolled up too. Runs in the kit's transaction for the batch ({@link IngestConfig}).
 */
@Service
class EventIngestService {

    /** The consumer name in {@code processed_events} (kept from before the kit named consumers, so no event counts twice). */
    static final String CONSUMER = "analytics";

    private final ProcessedEvents processed;
    private final RollupRepository rollups;

    EventIngestService(ProcessedEvents processed, RollupRepository rollups) {
        this.processed = processed;
        this.rollups = rollups;
    }

    /** Applies a batch in the caller's transaction; events already applied (by id) are passed over. */
    void apply(List<InboundEvent<Record>> events) {
        for (InboundEvent<Record> event : events) {
            if (processed.firstTime(CONSUMER, event.id())) {
                applyFirstTime(event);
            }
        }
    }

    /** A tombstone on accounts.v1: the account is gone. */
    void accountDeleted(String accountId) {
        rollups.markAccountDeleted(accountId);
    }

    private void applyFirstTime(InboundEvent<Record> event) {
        rollups.countEvent(dayOf(event.time()), event.type().topic(), event.type().name());
        switch (event.data()) {
            case UsageRecorded u -> rollups.addUsage(dayOf(u.occurredAt()), u);
            case AccountChanged a -> applyAccount(a);
            case LlmCallRecorded c -> rollups.addLlmCall(dayOf(c.occurredAt()), c);
            case RolloutDecided d -> rollups.addDecision(event.id(), dayOf(d.decidedAt()), d);
            case SubscriptionChanged s -> rollups.addSubscriptionVersion(s);
            case InvoiceChanged i -> {
                if ("paid".equals(i.status())) {
                    rollups.addPaidInvoice(dayOf(i.occurredAt()), i);
                }
            }
            case ConversationChanged c -> rollups.addConversationChange(dayOf(c.occurredAt()), c);
            case MessageRecorded m -> rollups.addMessage(dayOf(m.occurredAt()), m);
            default -> {
                // counted only: no rollup of its own
            }
        }
    }

    private void applyAccount(AccountChanged a) {
        var previous = rollups.lockAccount(a.accountId());
        if (previous.isPresent() && previous.get().version() >= a.version()) {
            return;
        }
        rollups.saveAccount(a);
        if (previous.isPresent() && "free".equals(previous.get().tier()) && !"free".equals(a.tier())) {
            rollups.addConversion(a, previous.get().tier(), dayOf(a.changedAt()));
        }
    }

    static LocalDate dayOf(Instant instant) {
        return LocalDate.ofInstant(instant, ZoneOffset.UTC);
    }
}

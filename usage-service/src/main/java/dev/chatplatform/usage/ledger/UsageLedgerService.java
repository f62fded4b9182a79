package dev.chatplatform.usage.ledger;

import dev.chatplatform.contracts.usage.UsageRecorded;
import dev.chatplatform.kit.events.InboundEvent;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Records metered requests (once per event id) and sums them. */
@Service
public class UsageLedgerService {

    private final UsageRecordRepository records;

    UsageLedgerService(UsageRecordRepository records) {
        this.records = records;
    }

    /**
     * Records the usage of one request, keyed by the event id: a redelivered or replayed event changes
     * nothing. Effects added later (quota counters, budget settlement) join this transaction.
     *
     * @return true when the event was new
     */
    @Transactional
    public boolean record(InboundEvent<UsageRecorded> event) {
        return records.insert(event);
    }

    @Transactional(readOnly = true)
    public UsageSummary summarize(String accountId, UsagePeriod period) {
        return records.summarize(accountId, period);
    }
}

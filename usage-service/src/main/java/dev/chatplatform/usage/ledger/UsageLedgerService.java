package dev.chatplatform.usage.ledger;

import dev.chatplatform.contracts.usage.UsageRecorded;
import dev.chatplatform.kit.events.InboundEvent;
import dev.chatplatform.usage.quota.QuotaService;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.util.List;

/** Records metered requests (once per event id) and sums them. */
@Service
public class UsageLedgerService {

    private final UsageRecordRepository records;
    private final QuotaService quota;

    UsageLedgerService(UsageRecordRepository records, QuotaService quota) {
        this.records = records;
        this.quota = quota;
    }

    /**
     * Records the usage of one request, keyed by the event id: a redelivered or replayed event changes
     * nothing. A new event also settles the request's hold in the quota ledger, in the same transaction.
     *
     * @return true when the event was new
     */
    @Transactional
    public boolean record(InboundEvent<UsageRecorded> event) {
        if (!records.insert(event)) {
            return false;
        }
        quota.settle(event.data());
        return true;
    }

    @Transactional(readOnly = true)
    public List<DailyUsage> daily(String accountId, UsagePeriod period) {
        return records.daily(accountId, period);
    }

    @Transactional(readOnly = true)
    public List<UsageLine> lines(String accountId, UsagePeriod period) {
        return records.lines(accountId, period);
    }

    @Transactional(readOnly = true)
    public UsageSummary summarize(String accountId, UsagePeriod period) {
        return records.summarize(accountId, period);
    }
}

package dev.chatplatform.usage.ledger;

import dev.chatplatform.contracts.usage.UsageRecorded;
import dev.chatplatform.kit.events.InboundEvent;
import dev.chatplatform.usage.quota.QuotaService;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.util.ArrayList;
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
     * Records the usage of a batch of requests in ONE transaction, each keyed by its event id: a redelivered or
     * replayed event changes nothing. The new events also settle their requests' holds in the quota ledger, and
     * each account touched has its new state published once on quota.v1 for the whole batch.
     *
     * @return how many of the events were new
     */
    @Transactional
    public int record(List<InboundEvent<UsageRecorded>> events) {
        List<UsageRecorded> recorded = new ArrayList<>(events.size());
        for (InboundEvent<UsageRecorded> event : events) {
            if (records.insert(event)) {
                recorded.add(event.data());
            }
        }
        quota.settle(recorded);
        return recorded.size();
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

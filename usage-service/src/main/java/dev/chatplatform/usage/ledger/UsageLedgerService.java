package dev.chatplatform.usage.ledger;

import dev.chatplatform.contracts.usage.UsageRecorded;
import dev.chatplatform.kit.events.InboundEvent;
import dev.chatplatform.usage.quota.QuotaService;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

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
     * replayed event changes nothing. A new event also settles its request's hold in the quota ledger; each
     * account touched has its new state published once on quota.v1 for the whole batch.
     *
     * @return how many of the events were new
     */
    @Transactional
    public int record(List<InboundEvent<UsageRecorded>> events) {
        Set<String> touched = new LinkedHashSet<>();
        int recorded = 0;
        for (InboundEvent<UsageRecorded> event : events) {
            if (records.insert(event)) {
                quota.settle(event.data());
                touched.add(event.data().accountId());
                recorded++;
            }
        }
        quota.publishStates(touched);
        return recorded;
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

package dev.chatplatform.usage.quota;

import dev.chatplatform.usage.UsageProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import java.time.Duration;

/**
 * Releases holds nobody settled or released before their expiry (usage.holds.ttl), on every replica, billing their
 * requests from provider-service's records where there are some; expires leases not given back and empties
 * abandoned lease pools ({@link BudgetLeases#sweep}); bills requests made under leases that no usage event came
 * for ({@link ProviderCallBilling#billDueLeaseCalls}); then forgets records older than twice the ttl
 * (their holds have been closed since: a call ends after its hold was placed, and the hold expires ttl after that).
 */
@Component
class HoldSweeper {

    private static final Logger log = LoggerFactory.getLogger(HoldSweeper.class);

    private final QuotaService quota;
    private final ProviderCallBilling providerCalls;
    private final BudgetLeases leases;
    private final Duration keepCalls;

    HoldSweeper(QuotaService quota, ProviderCallBilling providerCalls, BudgetLeases leases,
                UsageProperties properties) {
        this.quota = quota;
        this.leases = leases;
        this.providerCalls = providerCalls;
        this.keepCalls = properties.holds().ttl().multipliedBy(2);
    }

    @Scheduled(fixedDelayString = "${usage.holds.sweep-interval:30s}",
            initialDelayString = "${usage.holds.sweep-interval:30s}")
    void sweep() {
        try {
            int expired;
            do {
                expired = quota.expireDueHolds();
                if (expired > 0) {
                    log.info("released {} expired holds", expired);
                }
            } while (expired == quota.sweepBatchSize());
            leases.sweep();
            while (providerCalls.billDueLeaseCalls(quota.sweepBatchSize()) == quota.sweepBatchSize()) {
                log.debug("billing more calls made under leases");
            }
            providerCalls.purge(keepCalls);
        } catch (RuntimeException e) {
            log.warn("hold sweep failed, retrying at the next interval: {}", e.toString());
        }
    }
}

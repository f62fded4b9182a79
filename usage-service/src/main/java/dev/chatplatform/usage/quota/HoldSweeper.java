package dev.chatplatform.usage.quota;

import dev.chatplatform.usage.UsageProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import java.time.Duration;

/**
 * Releases holds nobody settled or released before their expiry (usage.holds.ttl), on every replica, billing their
 * requests from provider-service's records where there are some; then forgets records older than twice the ttl
 * (their holds have been closed since: a call ends after its hold was placed, and the hold expires ttl after that).
 */
@Component
class HoldSweeper {

    private static final Logger log = LoggerFactory.getLogger(HoldSweeper.class);

    private final QuotaService quota;
    private final ProviderCallBilling providerCalls;
    private final Duration keepCalls;

    HoldSweeper(QuotaService quota, ProviderCallBilling providerCalls, UsageProperties properties) {
        this.quota = quota;
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
            providerCalls.purge(keepCalls);
        } catch (RuntimeException e) {
            log.warn("hold sweep failed, retrying at the next interval: {}", e.toString());
        }
    }
}

package dev.chatplatform.usage.quota;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/** Releases holds nobody settled or released before their expiry (usage.holds.ttl), on every replica. */
@Component
class HoldSweeper {

    private static final Logger log = LoggerFactory.getLogger(HoldSweeper.class);

    private final QuotaService quota;

    HoldSweeper(QuotaService quota) {
        this.quota = quota;
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
        } catch (RuntimeException e) {
            log.warn("hold sweep failed, retrying at the next interval: {}", e.toString());
        }
    }
}

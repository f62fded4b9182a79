package dev.chatplatform.usage.quota;

import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import java.util.List;

/**
 * Publishes the quota state of accounts whose holds or usage changed ({@link ChangedAccounts}) on quota.v1, at
 * most once per account every {@code usage.quota.publish-interval} (250 ms), instead of once per hold and per
 * settled batch: a busy account's hundreds of holds a second become four states a second for the gateway and
 * analytics to consume. Each state is read when it is published, after the changes it follows have committed,
 * and takes its version before that read, so the highest version always carries the newest state.
 */
@Component
class QuotaStatePublisher {

    private static final Logger log = LoggerFactory.getLogger(QuotaStatePublisher.class);
    private static final int BATCH = 200;

    private final QuotaService quota;
    private final ChangedAccounts changed;

    QuotaStatePublisher(QuotaService quota, ChangedAccounts changed) {
        this.quota = quota;
        this.changed = changed;
    }

    @Scheduled(fixedDelayString = "${usage.quota.publish-interval:250ms}")
    void publish() {
        for (List<String> batch = changed.take(BATCH); !batch.isEmpty(); batch = changed.take(BATCH)) {
            try {
                quota.publishStates(batch);
            } catch (RuntimeException e) {
                changed.putBack(batch);
                log.warn("publishing the quota state of {} accounts failed, retrying at the next interval: {}",
                        batch.size(), e.toString());
                return;
            }
        }
    }

    /** A graceful stop publishes what is still marked (a crash leaves it to the account's next change). */
    @PreDestroy
    void publishRest() {
        publish();
    }
}

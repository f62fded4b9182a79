package dev.chatplatform.provider.cache;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import java.time.Instant;

/** Deletes expired cache rows; safe on every replica at once (a plain delete by expiry). */
@Component
class ResponseCacheSweeper {

    private static final Logger log = LoggerFactory.getLogger(ResponseCacheSweeper.class);

    private final ResponseCacheRepository repository;

    ResponseCacheSweeper(ResponseCacheRepository repository) {
        this.repository = repository;
    }

    @Scheduled(fixedDelayString = "${provider.cache.sweep-interval:1m}", initialDelayString = "${provider.cache.sweep-interval:1m}")
    int sweep() {
        int deleted = repository.deleteExpired(Instant.now());
        if (deleted > 0) {
            log.debug("swept {} expired cached answers", deleted);
        }
        return deleted;
    }
}

package dev.chatplatform.billing.metering;

import dev.chatplatform.billing.stripe.StripeGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

@Service
public class MeteringService {

    private static final Logger log = LoggerFactory.getLogger(MeteringService.class);
    private static final int BATCH_ROWS = 1000;

    private final MeteringRepository metering;
    private final StripeGateway stripe;
    private final TransactionTemplate tx;

    MeteringService(MeteringRepository metering, StripeGateway stripe, TransactionTemplate tx) {
        this.metering = metering;
        this.stripe = stripe;
        this.tx = tx;
    }

    /** Groups unreported usage into batches per account, then reports every due batch. */
    @Scheduled(fixedDelayString = "${billing.poll-interval-ms:1000}")
    public void report() {
        if (!stripe.enabled()) {
            return;
        }
        tx.executeWithoutResult(s -> formBatches());
        tx.executeWithoutResult(s -> {
            for (MeteringRepository.Batch batch : metering.lockDueBatches(50)) {
                try {
                    stripe.reportMeterEvent(batch.customerId(), batch.value(), batch.id(), batch.occurredAt());
                    metering.reported(batch.id());
                } catch (RuntimeException e) {
                    int attempts = batch.attempts() + 1;
                    log.warn("reporting meter batch {} failed (attempt {}), retrying: {}", batch.id(), attempts, e.getMessage());
                    metering.retryLater(batch.id(), attempts, Math.min(600, 1L << Math.min(attempts, 10)), e.getMessage());
                }
            }
        });
    }

    private void formBatches() {
        Map<UUID, List<MeteringRepository.Unbatched>> byAccount = new LinkedHashMap<>();
        for (MeteringRepository.Unbatched u : metering.lockUnbatched(BATCH_ROWS)) {
            byAccount.computeIfAbsent(u.accountId(), k -> new ArrayList<>()).add(u);
        }
        byAccount.forEach((account, rows) -> {
            List<String> ids = rows.stream().map(MeteringRepository.Unbatched::eventId).sorted().toList();
            long value = rows.stream().mapToLong(MeteringRepository.Unbatched::tokens).sum();
            Instant latest = rows.stream().map(MeteringRepository.Unbatched::occurredAt).max(Comparator.naturalOrder()).orElseThrow();
            metering.createBatch(batchId(ids), account, rows.getFirst().customerId(), value, rows.size(), latest, ids);
        });
    }

    /** Derived from the member event ids only: the same usage always forms the same identifier. */
    static String batchId(List<String> sortedEventIds) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (String id : sortedEventIds) {
                sha.update(id.getBytes(StandardCharsets.UTF_8));
                sha.update((byte) '\n');
            }
            return "mb_" + HexFormat.of().formatHex(sha.digest()).substring(0, 40);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Transactional(readOnly = true)
    public ReconciliationResponse reconcile(Instant from, Instant to) {
        List<ReconciliationResponse.Line> lines = metering.reconcile(from, to);
        long metered = lines.stream().mapToLong(ReconciliationResponse.Line::meteredTokens).sum();
        long reported = lines.stream().mapToLong(ReconciliationResponse.Line::reportedTokens).sum();
        return new ReconciliationResponse(from, to, metered, reported, metered - reported, lines);
    }
}

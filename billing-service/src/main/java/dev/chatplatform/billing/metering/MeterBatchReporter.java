package dev.chatplatform.billing.metering;

import dev.chatplatform.billing.stripe.StripeGateway;
import dev.chatplatform.kit.jobs.JobHandler;
import dev.chatplatform.kit.jobs.JobKind;
import dev.chatplatform.kit.jobs.Jobs;
import dev.chatplatform.kit.jobs.PermanentJobFailure;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
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

/**
 * Reports metered usage to Stripe (Stripe mode only). A sweep groups unreported usage into one batch per account
 * and enqueues a {@code meter-batch} job for each batch in the same transaction; the job reports the batch as one
 * Billing Meter event whose identifier (and idempotency key) is the batch id, so a retry, ours or stripe-java's,
 * cannot bill twice, and marks it reported.
 */
@Component
class MeterBatchReporter implements JobHandler<Void> {

    static final JobKind<Void> REPORT_BATCH = JobKind.withoutData("meter-batch");
    private static final int BATCH_ROWS = 1000;

    private final MeteringRepository metering;
    private final StripeGateway stripe;
    private final Jobs jobs;
    private final TransactionTemplate tx;

    MeterBatchReporter(MeteringRepository metering, StripeGateway stripe, Jobs jobs, TransactionTemplate tx) {
        this.metering = metering;
        this.stripe = stripe;
        this.jobs = jobs;
        this.tx = tx;
    }

    /** Groups unreported usage of accounts that have a Stripe customer into batches, each with its reporting job. */
    @Scheduled(fixedDelayString = "${billing.poll-interval-ms:10000}")
    void formBatches() {
        if (!stripe.enabled()) {
            return;
        }
        tx.executeWithoutResult(s -> {
            Map<UUID, List<MeteringRepository.Unbatched>> byAccount = new LinkedHashMap<>();
            for (MeteringRepository.Unbatched u : metering.lockUnbatched(BATCH_ROWS)) {
                byAccount.computeIfAbsent(u.accountId(), k -> new ArrayList<>()).add(u);
            }
            byAccount.forEach((account, rows) -> {
                List<String> ids = rows.stream().map(MeteringRepository.Unbatched::eventId).sorted().toList();
                long value = rows.stream().mapToLong(MeteringRepository.Unbatched::tokens).sum();
                Instant latest = rows.stream().map(MeteringRepository.Unbatched::occurredAt).max(Comparator.naturalOrder()).orElseThrow();
                String batch = batchId(ids);
                metering.createBatch(batch, account, rows.getFirst().customerId(), value, rows.size(), latest, ids);
                jobs.enqueue(REPORT_BATCH, batch, null);
            });
        });
    }

    @Override
    public JobKind<Void> kind() {
        return REPORT_BATCH;
    }

    /** Reports one batch unless it was reported before. */
    @Override
    public void run(String batchId, Void none) {
        MeteringRepository.Batch batch = metering.findBatch(batchId)
                .orElseThrow(() -> new PermanentJobFailure("meter batch " + batchId + " does not exist"));
        if (batch.reported()) {
            return;
        }
        stripe.forJob(() -> {
            stripe.reportMeterEvent(batch.customerId(), batch.value(), batch.id(), batch.occurredAt());
            return batch.id();
        });
        metering.reported(batch.id());
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
}

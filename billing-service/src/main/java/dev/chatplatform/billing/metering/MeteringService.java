package dev.chatplatform.billing.metering;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.time.Instant;
import java.util.List;

/**
 * Reconciliation of metered against reported usage. Usage is recorded by the {@code billing-service.metering}
 * subscription ({@link MeteringEventsConfig}) and reported to Stripe by {@link MeterBatchReporter}.
 */
@Service
public class MeteringService {

    private final MeteringRepository metering;

    MeteringService(MeteringRepository metering) {
        this.metering = metering;
    }

    @Transactional(readOnly = true)
    public ReconciliationResponse reconcile(Instant from, Instant to) {
        List<ReconciliationResponse.Line> lines = metering.reconcile(from, to);
        long metered = lines.stream().mapToLong(ReconciliationResponse.Line::meteredTokens).sum();
        long reported = lines.stream().mapToLong(ReconciliationResponse.Line::reportedTokens).sum();
        return new ReconciliationResponse(from, to, metered, reported, metered - reported, lines);
    }
}

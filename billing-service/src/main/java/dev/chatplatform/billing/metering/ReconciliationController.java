package dev.chatplatform.billing.metering;

import dev.chatplatform.kit.identity.Scope;
import dev.chatplatform.kit.web.ApiException;
import dev.chatplatform.kit.web.DateParameter;
import dev.chatplatform.kit.web.RequiresScope;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

@RestController
class ReconciliationController {

    private final MeteringService metering;

    ReconciliationController(MeteringService metering) {
        this.metering = metering;
    }

    /** {@code from}/{@code to}: ISO dates (UTC), default the current month. */
    @GetMapping("/api/v1/admin/billing/reconciliation")
    @RequiresScope(Scope.ANALYST)
    ReconciliationResponse reconcile(@RequestParam(required = false) String from, @RequestParam(required = false) String to) {
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        LocalDate start = DateParameter.parse("from", from, today.withDayOfMonth(1));
        LocalDate end = DateParameter.parse("to", to, start.plusMonths(1).withDayOfMonth(1).minusDays(1));
        if (end.isBefore(start)) {
            throw ApiException.invalid("invalid_value", "'to' is before 'from'.", "to");
        }
        Instant fromInstant = start.atStartOfDay(ZoneOffset.UTC).toInstant();
        Instant toInstant = end.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        return metering.reconcile(fromInstant, toInstant);
    }
}

package dev.chatplatform.usage.ledger.web;

import dev.chatplatform.kit.identity.CallerIdentity;
import dev.chatplatform.kit.identity.Scope;
import dev.chatplatform.kit.web.ApiException;
import dev.chatplatform.kit.web.DateParameter;
import dev.chatplatform.kit.web.RequiresScope;
import dev.chatplatform.usage.ledger.UsageLedgerService;
import dev.chatplatform.usage.ledger.UsageLine;
import dev.chatplatform.usage.ledger.UsagePeriod;
import dev.chatplatform.usage.ledger.UsageTotals;
import dev.chatplatform.usage.quota.QuotaService;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.time.Clock;
import java.time.LocalDate;

/**
 * Usage of the caller's own account ({@code /me...}), or of any account for admins ({@code /accounts/{id}...}).
 * Periods are whole UTC days, both ends included; no parameters means the current UTC month.
 */
@RestController
@RequestMapping("/api/v1/usage")
class UsageController {

    private final UsageLedgerService ledger;
    private final QuotaService quota;
    private final Clock clock = Clock.systemUTC();

    UsageController(UsageLedgerService ledger, QuotaService quota) {
        this.ledger = ledger;
        this.quota = quota;
    }

    /**
     * Usage from {@code from} to {@code to} (ISO dates, UTC, both included). {@code to} defaults to the last
     * day of the current UTC month and {@code from} to the first day of {@code to}'s month, so no parameters
     * means the current month. {@code quota} is always the current period's, whatever the dates.
     */
    @GetMapping("/me")
    @RequiresScope({Scope.CHAT, Scope.ACCOUNT})
    UsageSummaryResponse me(CallerIdentity caller,
                            @RequestParam(required = false) String from,
                            @RequestParam(required = false) String to) {
        return summary(caller.accountId(), period(from, to));
    }

    @GetMapping("/accounts/{accountId}")
    @RequiresScope(Scope.ANALYST)
    UsageSummaryResponse account(@PathVariable String accountId,
                                 @RequestParam(required = false) String from,
                                 @RequestParam(required = false) String to) {
        return summary(accountId, period(from, to));
    }

    @GetMapping("/me/daily")
    @RequiresScope({Scope.CHAT, Scope.ACCOUNT})
    DailyUsageResponse myDaily(CallerIdentity caller,
                               @RequestParam(required = false) String from,
                               @RequestParam(required = false) String to) {
        UsagePeriod period = period(from, to);
        return DailyUsageResponse.of(caller.accountId(), period, ledger.daily(caller.accountId(), period));
    }

    @GetMapping("/accounts/{accountId}/daily")
    @RequiresScope(Scope.ANALYST)
    DailyUsageResponse daily(@PathVariable String accountId,
                             @RequestParam(required = false) String from,
                             @RequestParam(required = false) String to) {
        UsagePeriod period = period(from, to);
        return DailyUsageResponse.of(accountId, period, ledger.daily(accountId, period));
    }

    @GetMapping("/me/export.csv")
    @RequiresScope({Scope.CHAT, Scope.ACCOUNT})
    ResponseEntity<String> myCsv(CallerIdentity caller,
                                 @RequestParam(required = false) String from,
                                 @RequestParam(required = false) String to) {
        return csv(caller.accountId(), period(from, to));
    }

    @GetMapping("/accounts/{accountId}/export.csv")
    @RequiresScope(Scope.ANALYST)
    ResponseEntity<String> csv(@PathVariable String accountId,
                               @RequestParam(required = false) String from,
                               @RequestParam(required = false) String to) {
        return csv(accountId, period(from, to));
    }

    private UsageSummaryResponse summary(String accountId, UsagePeriod period) {
        return UsageSummaryResponse.of(ledger.summarize(accountId, period), quota.snapshot(accountId));
    }

    /** One line per UTC day, model and provider; money both as integer micro-USD and as an exact decimal. */
    private ResponseEntity<String> csv(String accountId, UsagePeriod period) {
        StringBuilder out = new StringBuilder(
                "date,model,provider,requests,input_tokens,cached_input_tokens,output_tokens,total_tokens,cost_micro_usd,cost_usd\n");
        for (UsageLine line : ledger.lines(accountId, period)) {
            UsageTotals t = line.totals();
            out.append(line.date()).append(',').append(cell(line.model())).append(',').append(cell(line.provider()))
                    .append(',').append(t.requests()).append(',').append(t.inputTokens()).append(',')
                    .append(t.cachedInputTokens()).append(',').append(t.outputTokens()).append(',')
                    .append(t.totalTokens()).append(',').append(t.costMicroUsd()).append(',').append(t.costUsd())
                    .append('\n');
        }
        String filename = "usage-" + accountId.replaceAll("[^A-Za-z0-9_-]", "_") + "-" + period.from() + "-"
                + period.to() + ".csv";
        return ResponseEntity.ok()
                .contentType(new MediaType("text", "csv", java.nio.charset.StandardCharsets.UTF_8))
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + filename + "\"")
                .body(out.toString());
    }

    /** RFC 4180 quoting, and a leading quote for cells a spreadsheet would run as a formula. */
    private static String cell(String value) {
        String v = value == null ? "" : value;
        if (!v.isEmpty() && "=+-@".indexOf(v.charAt(0)) >= 0) {
            v = "'" + v;
        }
        if (v.contains(",") || v.contains("\"") || v.contains("\n") || v.contains("\r")) {
            v = "\"" + v.replace("\"", "\"\"") + "\"";
        }
        return v;
    }

    private UsagePeriod period(String from, String to) {
        LocalDate last = DateParameter.parse("to", to, UsagePeriod.monthOf(LocalDate.now(clock)).to());
        LocalDate first = DateParameter.parse("from", from, last.withDayOfMonth(1));
        if (first.isAfter(last)) {
            throw ApiException.invalid("invalid_period",
                    "'from' (" + first + ") must not be after 'to' (" + last + ").", "from");
        }
        return new UsagePeriod(first, last);
    }

}

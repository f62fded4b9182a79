package dev.chatplatform.usage.ledger.web;

import dev.chatplatform.kit.identity.CallerIdentity;
import dev.chatplatform.kit.web.ApiException;
import dev.chatplatform.usage.ledger.UsageLedgerService;
import dev.chatplatform.usage.ledger.UsagePeriod;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.time.Clock;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;

/** The caller's own usage; every read is scoped to the account the gateway asserted. */
@RestController
@RequestMapping("/api/v1/usage")
class UsageController {

    private final UsageLedgerService ledger;
    private final Clock clock = Clock.systemUTC();

    UsageController(UsageLedgerService ledger) {
        this.ledger = ledger;
    }

    /**
     * Usage from {@code from} to {@code to} (ISO dates, UTC, both included). {@code to} defaults to the last
     * day of the current UTC month and {@code from} to the first day of {@code to}'s month, so no parameters
     * means the current month.
     */
    @GetMapping("/me")
    UsageSummaryResponse me(CallerIdentity caller,
                            @RequestParam(required = false) String from,
                            @RequestParam(required = false) String to) {
        LocalDate last = to == null ? UsagePeriod.monthOf(LocalDate.now(clock)).to() : parse("to", to);
        LocalDate first = from == null ? last.withDayOfMonth(1) : parse("from", from);
        if (first.isAfter(last)) {
            throw ApiException.invalid("invalid_period",
                    "'from' (" + first + ") must not be after 'to' (" + last + ").", "from");
        }
        return UsageSummaryResponse.of(ledger.summarize(caller.accountId(), new UsagePeriod(first, last)));
    }

    private static LocalDate parse(String param, String value) {
        try {
            LocalDate date = LocalDate.parse(value.strip());
            if (date.getYear() < 1 || date.getYear() > 9999) {
                throw new DateTimeParseException("year out of range", value, 0);
            }
            return date;
        } catch (DateTimeParseException e) {
            throw ApiException.invalid("invalid_date",
                    "Invalid value for '" + param + "': expected an ISO-8601 date such as 2026-01-31.", param);
        }
    }
}

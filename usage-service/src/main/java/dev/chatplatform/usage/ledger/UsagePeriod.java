package dev.chatplatform.usage.ledger;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Objects;

/**
 * A span of whole UTC days, both ends included: usage that occurred from the start of {@code from} up to
 * (not including) the start of the day after {@code to}.
 */
public record UsagePeriod(LocalDate from, LocalDate to) {

    public UsagePeriod {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        if (from.isAfter(to)) {
            throw new IllegalArgumentException("from " + from + " is after to " + to);
        }
    }

    /** The calendar month (UTC) that contains {@code day}. */
    public static UsagePeriod monthOf(LocalDate day) {
        return new UsagePeriod(day.withDayOfMonth(1), day.withDayOfMonth(day.lengthOfMonth()));
    }

    public OffsetDateTime startInclusive() {
        return from.atStartOfDay().atOffset(ZoneOffset.UTC);
    }

    public OffsetDateTime endExclusive() {
        return to.plusDays(1).atStartOfDay().atOffset(ZoneOffset.UTC);
    }
}

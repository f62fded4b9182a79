package dev.chatplatform.usage.quota;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;

/**
 * The day and the month that contain an instant, for an account whose periods start at midnight in
 * {@code zone} and whose month starts on {@code anchorDay} (1-28). Starts inclusive, ends exclusive.
 */
record Periods(Instant dayStart, Instant dayEnd, Instant monthStart, Instant monthEnd) {

    static Periods at(Instant instant, ZoneId zone, int anchorDay) {
        LocalDate day = instant.atZone(zone).toLocalDate();
        LocalDate month = day.getDayOfMonth() >= anchorDay
                ? day.withDayOfMonth(anchorDay)
                : day.minusMonths(1).withDayOfMonth(anchorDay);
        return new Periods(day.atStartOfDay(zone).toInstant(), day.plusDays(1).atStartOfDay(zone).toInstant(),
                month.atStartOfDay(zone).toInstant(), month.plusMonths(1).atStartOfDay(zone).toInstant());
    }
}

package dev.chatplatform.kit.web;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;

/**
 * The one way a query parameter becomes a date: ISO-8601 ({@code 2026-01-31}) between 0001-01-01 and 9999-12-31.
 * Java parses years far beyond that ({@code +99999-01-01}) and PostgreSQL, the JDBC driver and the JSON a client
 * gets back do not all agree on them, so such a date is a 400 ({@link ErrorCode#INVALID_DATE}) naming the
 * parameter, never a failure further down.
 */
public final class DateParameter {

    private DateParameter() {
    }

    /** {@code value} as a date, or {@code fallback} when it is null or blank. */
    public static LocalDate parse(String param, String value, LocalDate fallback) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            LocalDate date = LocalDate.parse(value.strip());
            if (date.getYear() >= 1 && date.getYear() <= 9999) {
                return date;
            }
        } catch (DateTimeParseException e) {
            // answered below
        }
        throw new ApiException(ErrorCode.INVALID_DATE, "Invalid value for '" + param
                + "': expected an ISO-8601 date between 0001-01-01 and 9999-12-31, such as 2026-01-31.", param);
    }
}

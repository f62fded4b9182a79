package dev.chatplatform.analytics.report;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/**
 * One aggregate over a date range: its rows, each a map of column name to value in column order.
 *
 * @param report      which aggregate
 * @param from        first UTC day included
 * @param to          last UTC day included
 * @param granularity {@code day} or {@code month}
 * @param columns     the column names of every row, in order (also the CSV header)
 * @param rows        the rows, ordered by period then by the grouping columns
 */
public record ReportResponse(String report, LocalDate from, LocalDate to, String granularity, List<String> columns,
                             List<Map<String, Object>> rows) {
}

package dev.chatplatform.analytics.report.web;

import dev.chatplatform.analytics.report.ReportResponse;

import java.util.Map;
import java.util.stream.Collectors;

/**
 * RFC 4180 CSV of a report: a header of column names, then one line per row. Text that a spreadsheet would
 * run as a formula (starting with = + - @) is prefixed with an apostrophe.
 */
final class Csv {

    private Csv() {
    }

    static String write(ReportResponse report) {
        StringBuilder out = new StringBuilder();
        out.append(report.columns().stream().map(Csv::cell).collect(Collectors.joining(","))).append("\r\n");
        for (Map<String, Object> row : report.rows()) {
            out.append(report.columns().stream().map(c -> cell(row.get(c))).collect(Collectors.joining(",")))
                    .append("\r\n");
        }
        return out.toString();
    }

    static String cell(Object value) {
        if (value == null) {
            return "";
        }
        if (value instanceof Number) {
            return value.toString();
        }
        String text = value.toString();
        if (!text.isEmpty() && "=+-@".indexOf(text.charAt(0)) >= 0) {
            text = "'" + text;
        }
        if (text.contains(",") || text.contains("\"") || text.contains("\n") || text.contains("\r")) {
            text = "\"" + text.replace("\"", "\"\"") + "\"";
        }
        return text;
    }
}

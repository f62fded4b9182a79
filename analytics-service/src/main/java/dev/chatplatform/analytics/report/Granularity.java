package dev.chatplatform.analytics.report;

/**
 * How rows are bucketed in time: UTC days, calendar months (sums of their days), or the whole requested range as
 * one period ({@code 2026-11-01/2026-11-30}). Each carries the SQL that labels a daily row's period, and the SQL
 * of the series of periods for reports that look at a state at the start or end of every period (MRR, churn).
 */
public enum Granularity {
    DAY("to_char(day, 'YYYY-MM-DD')", "to_char(p, 'YYYY-MM-DD')", "cast(:from as date)", "interval '1 day'"),
    MONTH("to_char(date_trunc('month', day), 'YYYY-MM')", "to_char(p, 'YYYY-MM')",
            "date_trunc('month', cast(:from as date)::timestamp)", "interval '1 month'"),
    RANGE(Sql.RANGE_LABEL, Sql.RANGE_LABEL, "cast(:from as date)",
            "make_interval(days => cast(:to as date) - cast(:from as date) + 1)");

    /** The period label of a daily row (column {@code day}). */
    final String periodSql;
    /** The label of a period starting at {@code p} of the series. */
    final String seriesLabelSql;
    /** The first period's start (a date or timestamp expression). */
    final String seriesStartSql;
    /** The length of one period. */
    final String stepSql;

    Granularity(String periodSql, String seriesLabelSql, String seriesStartSql, String stepSql) {
        this.periodSql = periodSql;
        this.seriesLabelSql = seriesLabelSql;
        this.seriesStartSql = seriesStartSql;
        this.stepSql = stepSql;
    }

    private static final class Sql {
        static final String RANGE_LABEL =
                "(to_char(cast(:from as date), 'YYYY-MM-DD') || '/' || to_char(cast(:to as date), 'YYYY-MM-DD'))";
    }
}

package dev.chatplatform.analytics.report;

/** How rows are bucketed in time: UTC days, or calendar months (sums of their days). */
public enum Granularity {
    DAY("to_char(day, 'YYYY-MM-DD')"),
    MONTH("to_char(date_trunc('month', day), 'YYYY-MM')");

    final String periodSql;

    Granularity(String periodSql) {
        this.periodSql = periodSql;
    }
}

package dev.chatplatform.analytics.report;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * SQL over the rollups. Column and expression names come from enums only; every value is a bind parameter.
 * Sums are cast to bigint (PostgreSQL sums bigints as numeric).
 */
@Repository
class ReportRepository {

    private final JdbcClient jdbc;

    ReportRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    List<Map<String, Object>> usage(ReportQuery q) {
        return rows(q, """
                select {period} as "period"{select},
                    sum(requests)::bigint as "requests",
                    sum(input_tokens)::bigint as "inputTokens",
                    sum(cached_input_tokens)::bigint as "cachedInputTokens",
                    sum(output_tokens)::bigint as "outputTokens",
                    sum(input_tokens + output_tokens)::bigint as "totalTokens",
                    sum(cost_micro_usd)::bigint as "costMicroUsd",
                    coalesce(sum(requests) filter (where outcome <> 'COMPLETED'), 0)::bigint as "errors"
                from usage_daily where day between :from and :to {filters}
                group by {period}{group} order by 1{order}""");
    }

    /** Requests per error class (every outcome but COMPLETED) next to all requests of their period and group. */
    List<Map<String, Object>> errors(ReportQuery q) {
        return rows(q, """
                select * from (
                    select {period} as "period"{select}, outcome as "errorClass",
                        sum(requests)::bigint as "requests",
                        (sum(sum(requests)) over (partition by {period}{group}))::bigint as "totalRequests"
                    from usage_daily where day between :from and :to {filters}
                    group by {period}{group}, outcome
                ) t where "errorClass" <> 'COMPLETED' order by 1{order}, "errorClass\"""");
    }

    List<Map<String, Object>> latencyBuckets(ReportQuery q) {
        return rows(q, """
                select {period} as "period"{select}, metric as "metric", bucket as "bucket",
                    sum(requests)::bigint as "requests"
                from latency_histogram_daily where day between :from and :to {filters}
                group by {period}{group}, metric, bucket order by 1{order}, metric, bucket""");
    }

    List<Map<String, Object>> activeAccounts(ReportQuery q) {
        return jdbc.sql("""
                        select %s as "period", count(distinct account_id)::bigint as "activeAccounts"
                        from active_accounts_daily where day between :from and :to
                        group by 1 order by 1""".formatted(q.granularity().periodSql))
                .param("from", q.from()).param("to", q.to())
                .query().listOfRows();
    }

    List<Map<String, Object>> revenue(ReportQuery q) {
        return jdbc.sql("""
                        select %s as "period", sum(cost_micro_usd)::bigint as "usageChargesMicroUsd",
                            count(distinct account_id) filter (where cost_micro_usd > 0)::bigint as "chargedAccounts"
                        from usage_daily where day between :from and :to
                        group by 1 order by 1""".formatted(q.granularity().periodSql))
                .param("from", q.from()).param("to", q.to())
                .query().listOfRows();
    }

    List<Map<String, Object>> tiers() {
        return jdbc.sql("""
                        select tier as "tier", count(*) filter (where status = 'active')::bigint as "activeAccounts",
                            count(*) filter (where status <> 'deleted')::bigint as "accounts"
                        from account_snapshots group by tier order by tier""")
                .query().listOfRows();
    }

    List<Map<String, Object>> conversions(ReportQuery q) {
        return jdbc.sql("""
                        select %s as "period", from_tier as "fromTier", to_tier as "toTier",
                            count(*)::bigint as "conversions"
                        from tier_conversions where day between :from and :to
                        group by 1, from_tier, to_tier order by 1, 2, 3""".formatted(q.granularity().periodSql))
                .param("from", q.from()).param("to", q.to())
                .query().listOfRows();
    }

    List<Map<String, Object>> events(ReportQuery q) {
        var sql = jdbc.sql("""
                        select %s as "period", topic as "topic", event_type as "eventType",
                            sum(events)::bigint as "events"
                        from event_counts_daily where day between :from and :to
                            and (cast(:topic as varchar) is null or topic = :topic)
                            and (cast(:type as varchar) is null or event_type = :type)
                        group by 1, topic, event_type order by 1, 2, 3""".formatted(q.granularity().periodSql))
                .param("from", q.from()).param("to", q.to())
                .param("topic", q.topic()).param("type", q.eventType());
        return sql.query().listOfRows();
    }

    /** Fills {period}, {select}, {group}, {order} and {filters} of a template from the query. */
    private List<Map<String, Object>> rows(ReportQuery q, String template) {
        String sql = template
                .replace("{period}", q.granularity().periodSql)
                .replace("{select}", q.groupBy().stream().map(d -> ", " + d.column + " as \"" + d.field + "\"")
                        .collect(Collectors.joining()))
                .replace("{group}", q.groupBy().stream().map(d -> ", " + d.column).collect(Collectors.joining()))
                .replace("{order}", q.groupBy().stream().map(d -> ", \"" + d.field + "\"").collect(Collectors.joining()))
                .replace("{filters}", q.filters().keySet().stream().sorted()
                        .map(d -> " and " + d.column + " = :" + d.field).collect(Collectors.joining()));
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("from", q.from());
        params.put("to", q.to());
        q.filters().forEach((d, v) -> params.put(d.field, v));
        return jdbc.sql(sql).params(params).query().listOfRows();
    }
}

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

    /** A subscription state that pays: a paid tier whose subscription is live (past due included, until it ends). */
    private static final String PAYING = "(%1$s.tier <> 'free' and %1$s.status in ('active', 'trialing', 'past_due'))";

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
                group by {period}{group} order by 1{fields}""");
    }

    /**
     * Failed upstream attempts (llm-calls.v1 outcome RETRY, FALLBACK or ERROR) per error class, next to every
     * attempt of their period and group (the denominator), and how many of them ended their request (ERROR).
     */
    List<Map<String, Object>> errors(ReportQuery q) {
        return rows(q, """
                select * from (
                    select "period"{fields}, "errorClass", sum(attempts)::bigint as "errors",
                        coalesce(sum(attempts) filter (where outcome = 'ERROR'), 0)::bigint as "failedRequests",
                        (sum(sum(attempts)) over (partition by "period"{fields}))::bigint as "attempts"
                    from (
                        select {period} as "period"{select}, outcome, attempts,
                            case when outcome in ('RETRY', 'FALLBACK', 'ERROR')
                                then coalesce(nullif(error_class, ''), 'unknown') end as "errorClass"
                        from llm_calls_daily where day between :from and :to {filters}
                    ) calls
                    group by "period"{fields}, "errorClass"
                ) t where "errorClass" is not null order by "period"{fields}, "errorClass\"""");
    }

    List<Map<String, Object>> latencyBuckets(ReportQuery q) {
        return rows(q, """
                select {period} as "period"{select}, metric as "metric", bucket as "bucket",
                    sum(requests)::bigint as "requests"
                from latency_histogram_daily where day between :from and :to {filters}
                group by {period}{group}, metric, bucket order by 1{fields}, metric, bucket""");
    }

    List<Map<String, Object>> activeAccounts(ReportQuery q) {
        return rows(q, """
                select {period} as "period", count(distinct account_id)::bigint as "activeAccounts"
                from active_accounts_daily where day between :from and :to
                group by 1 order by 1""");
    }

    /**
     * Per period and currency: invoiced revenue (paid invoices of billing.v1) and, in the {@code usd} row, the
     * metered usage charges of usage.v1 (always micro-USD).
     */
    List<Map<String, Object>> revenue(ReportQuery q) {
        return rows(q, """
                with charges as (
                    select {period} as period, 'usd' as currency, sum(cost_micro_usd)::bigint as charges,
                        count(distinct account_id) filter (where cost_micro_usd > 0)::bigint as charged
                    from usage_daily where day between :from and :to group by 1
                ), invoices as (
                    select {period} as period, currency, sum(amount_paid)::bigint as invoiced, count(*)::bigint as paid
                    from invoices_paid where day between :from and :to group by 1, currency
                )
                select coalesce(c.period, i.period) as "period", coalesce(i.currency, c.currency) as "currency",
                    coalesce(i.invoiced, 0) as "invoicedMinor", coalesce(i.paid, 0) as "paidInvoices",
                    coalesce(c.charges, 0) as "usageChargesMicroUsd", coalesce(c.charged, 0) as "chargedAccounts"
                from charges c full join invoices i on c.period = i.period and c.currency = i.currency
                order by 1, 2""");
    }

    List<Map<String, Object>> tiers() {
        return jdbc.sql("""
                        select tier as "tier", count(*) filter (where status = 'active')::bigint as "activeAccounts",
                            count(*) filter (where status <> 'deleted')::bigint as "accounts"
                        from account_snapshots group by tier order by tier""")
                .query().listOfRows();
    }

    /**
     * Free-to-paid conversions from accounts.v1 (a newer account version on another tier than the previous
     * one seen) and from subscriptions.v1 (a version on a paid tier whose preceding version, by number, is free;
     * version 1 follows the free tier every account starts on). billing-service changes the account's tier with
     * the subscription, so one conversion usually appears on both topics: the union keeps one row per account,
     * day and tiers.
     */
    List<Map<String, Object>> conversions(ReportQuery q) {
        return rows(q, """
                select {period} as "period", from_tier as "fromTier", to_tier as "toTier",
                    count(*)::bigint as "conversions"
                from (
                    select account_id, day, from_tier, to_tier from tier_conversions
                    union
                    select account_id, day, from_tier, to_tier from (
                        select account_id, (changed_at at time zone 'UTC')::date as day, tier as to_tier,
                            coalesce(lag(tier) over (partition by account_id order by version),
                                case when version = 1 then 'free' end) as from_tier
                        from subscription_versions
                    ) s where from_tier = 'free' and to_tier <> 'free'
                ) c where day between :from and :to
                group by 1, from_tier, to_tier order by 1, 2, 3""");
    }

    List<Map<String, Object>> events(ReportQuery q) {
        return rows(q, """
                select {period} as "period", topic as "topic", event_type as "eventType",
                    sum(events)::bigint as "events"
                from event_counts_daily where day between :from and :to
                    and (cast(:topic as varchar) is null or topic = :topic)
                    and (cast(:type as varchar) is null or event_type = :type)
                group by 1, topic, event_type order by 1, 2, 3""");
    }

    List<Map<String, Object>> variants(ReportQuery q) {
        return rows(q, """
                select {period} as "period", flag_key as "flag", variant as "variant",
                    sum(observations)::bigint as "observations", sum(errors)::bigint as "errors",
                    sum(cost_micro_usd)::bigint as "costMicroUsd", sum(input_tokens)::bigint as "inputTokens",
                    sum(cached_input_tokens)::bigint as "cachedInputTokens", sum(output_tokens)::bigint as "outputTokens"
                from variant_daily where day between :from and :to
                    and (cast(:flag as varchar) is null or flag_key = :flag)
                group by 1, flag_key, variant order by 1, 2, 3""");
    }

    List<Map<String, Object>> variantLatencyBuckets(ReportQuery q) {
        return rows(q, """
                select {period} as "period", flag_key as "flag", variant as "variant", metric as "metric",
                    bucket as "bucket", sum(observations)::bigint as "requests"
                from variant_latency_daily where day between :from and :to
                    and (cast(:flag as varchar) is null or flag_key = :flag)
                group by 1, flag_key, variant, metric, bucket order by 1, 2, 3, metric, bucket""");
    }

    List<Map<String, Object>> rolloutDecisions(ReportQuery q) {
        return rows(q, """
                select {period} as "period",
                    to_char(decided_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as "decidedAt",
                    flag_key as "flag", decision as "decision", flag_version as "flagVersion", phase as "phase",
                    percentage as "percentage", reason as "reason", breaches as "breaches"
                from rollout_decisions where day between :from and :to
                    and (cast(:flag as varchar) is null or flag_key = :flag)
                order by decided_at, flag_key, flag_version""");
    }

    /** Per period and currency: the MRR of the accounts paying at the end of the period, and how many pay. */
    List<Map<String, Object>> mrr(ReportQuery q) {
        return rows(q, """
                with {periods}
                select s.period as "period", s.currency as "currency", sum(s.monthly_amount)::bigint as "mrrMinor",
                    count(*)::bigint as "payingAccounts",
                    count(*) filter (where s.monthly_amount is null)::bigint as "unpricedAccounts"
                from (""" + statesAt("ends") + """
                ) s where {paying_s}
                group by 1, 2 order by 1, 2""");
    }

    /**
     * Per period and currency: accounts paying at the start, and those of them that churned: not paying at the
     * end, or in a non-paying state at some time during the period (canceled, then subscribed again).
     */
    List<Map<String, Object>> churn(ReportQuery q) {
        return rows(q, """
                with {periods}
                select s.period as "period", s.currency as "currency", count(*)::bigint as "payingAtStart",
                    count(*) filter (where c.churned)::bigint as "churned",
                    coalesce(sum(s.monthly_amount) filter (where c.churned), 0)::bigint as "churnedMrrMinor"
                from (""" + statesAt("starts") + """
                ) s cross join lateral (
                    select not coalesce((
                            select {paying_e} from subscription_versions e
                            where e.account_id = s.account_id and e.changed_at < s.ends
                            order by e.version desc limit 1), false)
                        or exists (
                            select 1 from subscription_versions d
                            where d.account_id = s.account_id and d.changed_at >= s.starts and d.changed_at < s.ends
                                and not {paying_d}) as churned
                ) c
                where {paying_s}
                group by 1, 2 order by 1, 2""");
    }

    /** Per period: subscriptions by tier and status at the end of the period. */
    List<Map<String, Object>> subscriptions(ReportQuery q) {
        return rows(q, """
                with {periods}
                select s.period as "period", s.tier as "tier", s.status as "status", count(*)::bigint as "accounts"
                from (""" + statesAt("ends") + """
                ) s group by 1, 2, 3 order by 1, 2, 3""");
    }

    List<Map<String, Object>> conversations(ReportQuery q) {
        return rows(q, """
                select {period} as "period"{select},
                    sum(created)::bigint as "conversationsCreated", sum(updated)::bigint as "conversationsUpdated",
                    sum(deleted)::bigint as "conversationsDeleted", sum(messages)::bigint as "messages",
                    sum(user_messages)::bigint as "userMessages", sum(answers)::bigint as "answers",
                    sum(completed)::bigint as "answersCompleted", sum(stopped)::bigint as "answersStopped",
                    sum(failed)::bigint as "answersFailed", sum(user_tokens)::bigint as "userMessageTokens",
                    sum(answer_tokens)::bigint as "answerOutputTokens"
                from (
                    select day, account_id, model, created, updated, deleted, 0 as messages, 0 as user_messages,
                        0 as answers, 0 as completed, 0 as stopped, 0 as failed, 0 as user_tokens, 0 as answer_tokens
                    from conversations_daily
                    union all
                    select day, account_id, model, 0, 0, 0, messages,
                        case when role = 'user' then messages else 0 end,
                        case when role = 'assistant' then messages else 0 end,
                        case when role = 'assistant' and status = 'completed' then messages else 0 end,
                        case when role = 'assistant' and status = 'stopped' then messages else 0 end,
                        case when role = 'assistant' and status = 'failed' then messages else 0 end,
                        case when role = 'user' then input_tokens else 0 end,
                        case when role = 'assistant' then output_tokens else 0 end
                    from messages_daily
                ) t where day between :from and :to {filters}
                group by {period}{group} order by 1{fields}""");
    }

    /**
     * Every account's latest subscription state (the highest version written before the instant) at the
     * {@code instant} column ({@code starts} or {@code ends}) of every period.
     */
    private static String statesAt(String instant) {
        return """
                    select pr.period, pr.starts, pr.ends, v.account_id, v.tier, v.status, v.monthly_amount, v.currency
                    from periods pr cross join lateral (
                        select distinct on (sv.account_id) sv.account_id, sv.tier, sv.status, sv.monthly_amount,
                            sv.currency
                        from subscription_versions sv where sv.changed_at < pr.%s
                        order by sv.account_id, sv.version desc
                    ) v""".formatted(instant);
    }

    /**
     * Fills the placeholders of a template from the query: {period}, {select}, {group}, {fields} (the groups' quoted names),
     * {filters}, {periods} (a CTE of every period with its start and end instant, clipped to the range) and
     * {paying_x} (the paying predicate on alias x).
     */
    private List<Map<String, Object>> rows(ReportQuery q, String template) {
        Granularity g = q.granularity();
        String sql = template
                .replace("{periods}", """
                        periods as (
                            select %s as period,
                                (greatest(p, cast(:from as date))::timestamp at time zone 'UTC') as starts,
                                (least(p + %s, cast(:to as date) + 1)::timestamp at time zone 'UTC') as ends
                            from generate_series((%s)::timestamp, cast(:to as date)::timestamp, %s) p
                        )""".formatted(g.seriesLabelSql, g.stepSql, g.seriesStartSql, g.stepSql))
                .replace("{paying_s}", PAYING.formatted("s"))
                .replace("{paying_e}", PAYING.formatted("e"))
                .replace("{paying_d}", PAYING.formatted("d"))
                .replace("{period}", g.periodSql)
                .replace("{select}", q.groupBy().stream().map(d -> ", " + d.column + " as \"" + d.field + "\"")
                        .collect(Collectors.joining()))
                .replace("{group}", q.groupBy().stream().map(d -> ", " + d.column).collect(Collectors.joining()))
                .replace("{fields}", q.groupBy().stream().map(d -> ", \"" + d.field + "\"").collect(Collectors.joining()))
                .replace("{filters}", q.filters().keySet().stream().sorted()
                        .map(d -> " and " + d.column + " = :" + d.field).collect(Collectors.joining()));
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("from", q.from());
        params.put("to", q.to());
        if (sql.contains(":topic")) {
            params.put("topic", q.topic());
            params.put("type", q.eventType());
        }
        if (sql.contains(":flag")) {
            params.put("flag", q.flag());
        }
        q.filters().forEach((d, v) -> params.put(d.field, v));
        return jdbc.sql(sql).params(params).query().listOfRows();
    }
}

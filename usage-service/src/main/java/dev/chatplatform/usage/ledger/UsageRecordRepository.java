package dev.chatplatform.usage.ledger;

import dev.chatplatform.contracts.usage.UsageRecorded;
import dev.chatplatform.kit.events.InboundEvent;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;

@Repository
class UsageRecordRepository {

    private final JdbcClient jdbc;

    UsageRecordRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Inserts the event's record; false when a record with its event id is already there. */
    boolean insert(InboundEvent<UsageRecorded> event) {
        UsageRecorded u = event.data();
        return jdbc.sql("""
                        insert into usage_records (event_id, event_time, request_id, account_id, api_key_id, model,
                            provider, input_tokens, cached_input_tokens, output_tokens, cost_micro_usd, estimated,
                            outcome, streamed, latency_ms, time_to_first_token_ms, occurred_at, kind)
                        values (:eventId, :eventTime, :requestId, :accountId, :apiKeyId, :model,
                            :provider, :inputTokens, :cachedInputTokens, :outputTokens, :costMicroUsd, :estimated,
                            :outcome, :streamed, :latencyMs, :timeToFirstTokenMs, :occurredAt, :kind)
                        on conflict (event_id) do nothing""")
                .param("eventId", event.id())
                .param("eventTime", event.time().atOffset(ZoneOffset.UTC))
                .param("requestId", u.requestId())
                .param("accountId", u.accountId())
                .param("apiKeyId", u.apiKeyId())
                .param("model", u.model())
                .param("provider", u.provider())
                .param("inputTokens", u.inputTokens())
                .param("cachedInputTokens", u.cachedInputTokens())
                .param("outputTokens", u.outputTokens())
                .param("costMicroUsd", u.costMicroUsd())
                .param("estimated", u.estimated())
                .param("outcome", u.outcome().name())
                .param("streamed", u.streamed())
                .param("latencyMs", u.latencyMs())
                .param("timeToFirstTokenMs", u.timeToFirstTokenMs())
                .param("occurredAt", u.occurredAt().atOffset(ZoneOffset.UTC))
                .param("kind", u.kind().name())
                .update() == 1;
    }

    /**
     * One query gives the per-model lines, the per-provider lines, the per-kind lines and the total: {@code grouping sets} adds the
     * grand-total row, which exists (with zero requests) even when the period holds no usage.
     */
    UsageSummary summarize(String accountId, UsagePeriod period) {
        List<Line> lines = jdbc.sql("""
                        select model, provider, kind,
                               grouping(model) = 1 and grouping(provider) = 1 and grouping(kind) = 1 as is_total,
                               grouping(model) = 0 as is_model, grouping(kind) = 0 as is_kind,
                               count(*) as requests,
                               coalesce(sum(input_tokens), 0) as input_tokens,
                               coalesce(sum(cached_input_tokens), 0) as cached_input_tokens,
                               coalesce(sum(output_tokens), 0) as output_tokens,
                               coalesce(sum(cost_micro_usd), 0) as cost_micro_usd
                        from usage_records
                        where account_id = :accountId and occurred_at >= :start and occurred_at < :end
                        group by grouping sets ((model), (provider), (kind), ())
                        order by is_total, model, provider, kind""")
                .param("accountId", accountId)
                .param("start", period.startInclusive())
                .param("end", period.endExclusive())
                .query((rs, i) -> new Line(rs.getString("model"), rs.getString("provider"), rs.getString("kind"),
                        rs.getBoolean("is_total"), rs.getBoolean("is_model"), rs.getBoolean("is_kind"), totals(rs)))
                .list();
        UsageTotals total = lines.stream().filter(Line::isTotal).map(Line::totals).findFirst().orElse(UsageTotals.NONE);
        List<ModelUsage> byModel = lines.stream().filter(l -> !l.isTotal() && l.isModel())
                .map(l -> new ModelUsage(l.model(), l.totals())).toList();
        List<ProviderUsage> byProvider = lines.stream().filter(l -> !l.isTotal() && !l.isModel() && !l.isKind())
                .map(l -> new ProviderUsage(l.provider(), l.totals())).toList();
        List<KindUsage> byKind = lines.stream().filter(Line::isKind)
                .map(l -> new KindUsage(UsageRecorded.Kind.valueOf(l.kind()), l.totals())).toList();
        return new UsageSummary(accountId, period, total, byModel, byProvider, byKind);
    }

    /** One row per UTC day of the period that has usage, oldest first. */
    List<DailyUsage> daily(String accountId, UsagePeriod period) {
        return jdbc.sql("""
                        select (occurred_at at time zone 'UTC')::date as day, count(*) as requests,
                               sum(input_tokens) as input_tokens, sum(cached_input_tokens) as cached_input_tokens,
                               sum(output_tokens) as output_tokens, sum(cost_micro_usd) as cost_micro_usd
                        from usage_records
                        where account_id = :accountId and occurred_at >= :start and occurred_at < :end
                        group by day order by day""")
                .param("accountId", accountId)
                .param("start", period.startInclusive())
                .param("end", period.endExclusive())
                .query((rs, i) -> new DailyUsage(rs.getObject("day", LocalDate.class), totals(rs)))
                .list();
    }

    /** One row per UTC day, model and provider of the period, in that order. */
    List<UsageLine> lines(String accountId, UsagePeriod period) {
        return jdbc.sql("""
                        select (occurred_at at time zone 'UTC')::date as day, model, provider, count(*) as requests,
                               sum(input_tokens) as input_tokens, sum(cached_input_tokens) as cached_input_tokens,
                               sum(output_tokens) as output_tokens, sum(cost_micro_usd) as cost_micro_usd
                        from usage_records
                        where account_id = :accountId and occurred_at >= :start and occurred_at < :end
                        group by day, model, provider order by day, model, provider""")
                .param("accountId", accountId)
                .param("start", period.startInclusive())
                .param("end", period.endExclusive())
                .query((rs, i) -> new UsageLine(rs.getObject("day", LocalDate.class), rs.getString("model"),
                        rs.getString("provider"), totals(rs)))
                .list();
    }

    private static UsageTotals totals(ResultSet rs) throws SQLException {
        return new UsageTotals(rs.getLong("requests"), rs.getLong("input_tokens"), rs.getLong("cached_input_tokens"),
                rs.getLong("output_tokens"), rs.getLong("cost_micro_usd"));
    }

    private record Line(String model, String provider, String kind, boolean isTotal, boolean isModel, boolean isKind,
                        UsageTotals totals) {
    }
}

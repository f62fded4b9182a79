package dev.chatplatform.usage.ledger;

import dev.chatplatform.contracts.usage.UsageRecorded;
import dev.chatplatform.kit.events.InboundEvent;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import java.sql.ResultSet;
import java.sql.SQLException;
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
                            outcome, streamed, latency_ms, time_to_first_token_ms, occurred_at)
                        values (:eventId, :eventTime, :requestId, :accountId, :apiKeyId, :model,
                            :provider, :inputTokens, :cachedInputTokens, :outputTokens, :costMicroUsd, :estimated,
                            :outcome, :streamed, :latencyMs, :timeToFirstTokenMs, :occurredAt)
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
                .update() == 1;
    }

    /**
     * One query gives both the per-model lines and the total: {@code grouping sets ((model), ())} adds the
     * grand-total row, which exists (with zero requests) even when the period holds no usage.
     */
    UsageSummary summarize(String accountId, UsagePeriod period) {
        List<Line> lines = jdbc.sql("""
                        select model, grouping(model) = 1 as is_total,
                               count(*) as requests,
                               coalesce(sum(input_tokens), 0) as input_tokens,
                               coalesce(sum(cached_input_tokens), 0) as cached_input_tokens,
                               coalesce(sum(output_tokens), 0) as output_tokens,
                               coalesce(sum(cost_micro_usd), 0) as cost_micro_usd
                        from usage_records
                        where account_id = :accountId and occurred_at >= :start and occurred_at < :end
                        group by grouping sets ((model), ())
                        order by is_total, model""")
                .param("accountId", accountId)
                .param("start", period.startInclusive())
                .param("end", period.endExclusive())
                .query((rs, i) -> new Line(rs.getString("model"), rs.getBoolean("is_total"), totals(rs)))
                .list();
        UsageTotals total = lines.stream().filter(Line::isTotal).map(Line::totals).findFirst().orElse(UsageTotals.NONE);
        List<ModelUsage> byModel = lines.stream().filter(l -> !l.isTotal())
                .map(l -> new ModelUsage(l.model(), l.totals())).toList();
        return new UsageSummary(accountId, period, total, byModel);
    }

    private static UsageTotals totals(ResultSet rs) throws SQLException {
        return new UsageTotals(rs.getLong("requests"), rs.getLong("input_tokens"), rs.getLong("cached_input_tokens"),
                rs.getLong("output_tokens"), rs.getLong("cost_micro_usd"));
    }

    private record Line(String model, boolean isTotal, UsageTotals totals) {
    }
}

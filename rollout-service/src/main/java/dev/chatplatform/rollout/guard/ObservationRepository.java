package dev.chatplatform.rollout.guard;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;

@Repository
class ObservationRepository {

    private final JdbcClient jdbc;

    ObservationRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Inserts unless the event was already observed for that flag (idempotent consumption). */
    boolean insert(Observation o) {
        return jdbc.sql("""
                        insert into variant_observations
                          (source, event_id, flag_key, variant, failed, latency_ms, cost_micro_usd, occurred_at)
                        values (:source, :event, :flag, :variant, :failed, :latency, :cost, :at)
                        on conflict do nothing""")
                .param("source", o.source())
                .param("event", o.eventId())
                .param("flag", o.flagKey())
                .param("variant", o.variant())
                .param("failed", o.failed())
                .param("latency", o.latencyMs())
                .param("cost", o.costMicroUsd())
                .param("at", Timestamp.from(o.occurredAt()))
                .update() == 1;
    }

    List<VariantStats> stats(String flagKey, Instant since) {
        return jdbc.sql("""
                        select source, variant, count(*) as requests,
                               avg(case when failed then 1.0 else 0.0 end) as error_rate,
                               percentile_cont(0.5) within group (order by latency_ms) as p50,
                               percentile_cont(0.95) within group (order by latency_ms) as p95,
                               avg(cost_micro_usd) as cost
                        from variant_observations
                        where flag_key = :flag and occurred_at >= :since
                        group by source, variant order by source, variant""")
                .param("flag", flagKey)
                .param("since", Timestamp.from(since))
                .query((rs, i) -> new VariantStats(rs.getString("source"), rs.getString("variant"), rs.getLong("requests"),
                        rs.getDouble("error_rate"), (Double) rs.getObject("p50", Double.class),
                        (Double) rs.getObject("p95", Double.class),
                        rs.getBigDecimal("cost") == null ? null : rs.getBigDecimal("cost").doubleValue()))
                .list();
    }
}

package dev.chatplatform.rollout.plan;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.List;
import java.util.Optional;

@Repository
class PlanRepository {

    private static final TypeReference<List<Phase>> PHASES = new TypeReference<>() {
    };

    private final JdbcClient jdbc;
    private final JsonMapper json;

    PlanRepository(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    Optional<Plan> find(String flagKey) {
        return jdbc.sql("select * from rollout_plans where flag_key = :key").param("key", flagKey).query(this::plan).optional();
    }

    void save(Plan plan) {
        jdbc.sql("""
                        insert into rollout_plans (flag_key, phases, current_phase, phase_started_at, status, auto_advance)
                        values (:key, cast(:phases as jsonb), :phase, :started, :status, :auto)
                        on conflict (flag_key) do update set phases = excluded.phases, current_phase = excluded.current_phase,
                          phase_started_at = excluded.phase_started_at, status = excluded.status,
                          auto_advance = excluded.auto_advance, updated_at = now()""")
                .param("key", plan.flagKey())
                .param("phases", json.writeValueAsString(plan.phases()))
                .param("phase", plan.currentPhase())
                .param("started", Timestamp.from(plan.phaseStartedAt()))
                .param("status", plan.status().name())
                .param("auto", plan.autoAdvance())
                .update();
    }

    private Plan plan(ResultSet rs, int row) throws SQLException {
        return new Plan(rs.getString("flag_key"), json.readValue(rs.getString("phases"), PHASES),
                rs.getInt("current_phase"), rs.getTimestamp("phase_started_at").toInstant(), PlanStatus.valueOf(rs.getString("status")),
                rs.getBoolean("auto_advance"));
    }
}

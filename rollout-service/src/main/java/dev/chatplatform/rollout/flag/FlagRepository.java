package dev.chatplatform.rollout.flag;

import dev.chatplatform.contracts.rollout.FlagChanged;
import dev.chatplatform.contracts.rollout.RolloutDecided;
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
class FlagRepository {

    private static final TypeReference<List<RolloutDecided.Evidence>> EVIDENCE = new TypeReference<>() {
    };

    private final JdbcClient jdbc;
    private final JsonMapper json;

    FlagRepository(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    List<FlagView> findAll() {
        return jdbc.sql("select state, rules from flags order by key").query(this::view).list();
    }

    Optional<FlagView> find(String key) {
        return jdbc.sql("select state, rules from flags where key = :key").param("key", key).query(this::view).optional();
    }

    /** Locks the row for the rest of the transaction, so concurrent changes get consecutive versions. */
    Optional<FlagView> findForUpdate(String key) {
        return jdbc.sql("select state, rules from flags where key = :key for update").param("key", key)
                .query(this::view).optional();
    }

    boolean insert(FlagChanged state, SloRules rules) {
        return jdbc.sql("""
                        insert into flags (key, version, state, rules)
                        values (:key, :version, cast(:state as jsonb), cast(:rules as jsonb))
                        on conflict (key) do nothing""")
                .param("key", state.key())
                .param("version", state.version())
                .param("state", json.writeValueAsString(state))
                .param("rules", json.writeValueAsString(rules))
                .update() == 1;
    }

    void update(FlagChanged state, SloRules rules) {
        jdbc.sql("""
                        update flags set version = :version, state = cast(:state as jsonb), rules = cast(:rules as jsonb),
                        updated_at = now() where key = :key""")
                .param("key", state.key())
                .param("version", state.version())
                .param("state", json.writeValueAsString(state))
                .param("rules", json.writeValueAsString(rules))
                .update();
    }

    void audit(String action, String actor, String reason, FlagChanged before, FlagChanged after,
               List<RolloutDecided.Evidence> evidence) {
        jdbc.sql("""
                        insert into flag_audit (flag_key, version, action, actor, reason, before, after, evidence, at)
                        values (:key, :version, :action, :actor, :reason, cast(:before as jsonb), cast(:after as jsonb),
                                cast(:evidence as jsonb), :at)""")
                .param("key", after.key())
                .param("version", after.version())
                .param("action", action)
                .param("actor", actor)
                .param("reason", reason)
                .param("before", before == null ? null : json.writeValueAsString(before))
                .param("after", json.writeValueAsString(after))
                .param("evidence", evidence == null ? null : json.writeValueAsString(evidence))
                .param("at", Timestamp.from(after.changedAt()))
                .update();
    }

    List<AuditEntry> auditLog(String key, int limit) {
        return jdbc.sql("""
                        select id, flag_key, version, action, actor, reason, before, after, evidence, at
                        from flag_audit where flag_key = :key order by id desc limit :limit""")
                .param("key", key)
                .param("limit", limit)
                .query((rs, i) -> new AuditEntry(rs.getLong("id"), rs.getString("flag_key"), rs.getLong("version"),
                        rs.getString("action"), rs.getString("actor"), rs.getString("reason"),
                        state(rs.getString("before")), state(rs.getString("after")),
                        rs.getString("evidence") == null ? null : json.readValue(rs.getString("evidence"), EVIDENCE),
                        rs.getTimestamp("at").toInstant()))
                .list();
    }

    private FlagView view(ResultSet rs, int row) throws SQLException {
        return new FlagView(state(rs.getString("state")), json.readValue(rs.getString("rules"), SloRules.class));
    }

    private FlagChanged state(String value) {
        return value == null ? null : json.readValue(value, FlagChanged.class);
    }
}

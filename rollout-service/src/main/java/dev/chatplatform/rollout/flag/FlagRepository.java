package dev.chatplatform.rollout.flag;

import dev.chatplatform.contracts.audit.AuditRecorded;
import dev.chatplatform.contracts.rollout.FlagChanged;
import dev.chatplatform.contracts.event.Services;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

@Repository
class FlagRepository {

    private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() {
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

    /** The kit audit log's entries of flag {@code key} (and its plan), newest first. */
    List<AuditRecorded> auditLog(String key, int limit) {
        return jdbc.sql("""
                        select id, action, actor, actor_key_id, reason, before, after, at from audit_log
                        where target_type = :type and target_id = :key order by at desc, id limit :limit""")
                .param("type", FlagService.TARGET)
                .param("key", key)
                .param("limit", limit)
                .query((rs, i) -> new AuditRecorded(rs.getString("id"), Services.ROLLOUT_SERVICE, rs.getString("action"),
                        FlagService.TARGET, key, rs.getString("actor"), rs.getString("actor_key_id"),
                        rs.getString("reason"), object(rs.getString("before")), object(rs.getString("after")),
                        rs.getTimestamp("at").toInstant()))
                .list();
    }

    private FlagView view(ResultSet rs, int row) throws SQLException {
        return new FlagView(state(rs.getString("state")), json.readValue(rs.getString("rules"), SloRules.class));
    }

    private Map<String, Object> object(String value) {
        return value == null ? null : json.readValue(value, OBJECT);
    }

    private FlagChanged state(String value) {
        return value == null ? null : json.readValue(value, FlagChanged.class);
    }
}

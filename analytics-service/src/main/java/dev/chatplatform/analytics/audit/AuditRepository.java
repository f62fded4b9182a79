package dev.chatplatform.analytics.audit;

import dev.chatplatform.contracts.audit.AuditRecorded;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import java.sql.Timestamp;
import java.util.List;
import java.util.Map;

@Repository
class AuditRepository {

    private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() {
    };

    private final JdbcClient jdbc;
    private final JsonMapper json;

    AuditRepository(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /** Stores the entry once: a redelivery of the same entry id inserts nothing. */
    void store(AuditRecorded e) {
        jdbc.sql("""
                        insert into audit_entries (entry_id, service, action, target_type, target_id, actor, actor_key_id,
                                                   reason, before, after, at)
                        values (:entryId, :service, :action, :targetType, :targetId, :actor, :actorKeyId, :reason,
                                cast(:before as jsonb), cast(:after as jsonb), :at)
                        on conflict (entry_id) do nothing""")
                .param("entryId", e.entryId())
                .param("service", e.service())
                .param("action", e.action())
                .param("targetType", e.targetType())
                .param("targetId", e.targetId())
                .param("actor", e.actor())
                .param("actorKeyId", e.actorKeyId())
                .param("reason", e.reason())
                .param("before", e.before() == null ? null : json.writeValueAsString(e.before()))
                .param("after", e.after() == null ? null : json.writeValueAsString(e.after()))
                .param("at", Timestamp.from(e.at()))
                .update();
    }

    /** Up to {@code limit} entries matching {@code q}, newest first (ties broken by entry id). */
    List<AuditRecorded> search(AuditQuery q, int limit) {
        return jdbc.sql("""
                        select entry_id, service, action, target_type, target_id, actor, actor_key_id, reason,
                               before::text as before, after::text as after, at
                        from audit_entries
                        where (cast(:text as text) is null or search_text ilike '%' || cast(:text as text) || '%' escape '\\')
                          and (cast(:service as text) is null or service = :service)
                          and (cast(:actor as text) is null or actor = :actor or actor_key_id = :actor)
                          and (cast(:action as text) is null or action = :action)
                          and (cast(:targetType as text) is null or target_type = :targetType)
                          and (cast(:targetId as text) is null or target_id = :targetId)
                          and (cast(:from as timestamptz) is null or at >= cast(:from as timestamptz))
                          and (cast(:until as timestamptz) is null or at < cast(:until as timestamptz))
                          and (cast(:after as text) is null or (at, entry_id) < (
                                select a.at, a.entry_id from audit_entries a where a.entry_id = cast(:after as text)))
                        order by at desc, entry_id desc
                        limit :limit""")
                .param("text", q.text() == null ? null : likeEscaped(q.text()))
                .param("service", q.service())
                .param("actor", q.actor())
                .param("action", q.action())
                .param("targetType", q.targetType())
                .param("targetId", q.targetId())
                .param("from", q.from() == null ? null : Timestamp.from(q.from()))
                .param("until", q.until() == null ? null : Timestamp.from(q.until()))
                .param("after", q.after())
                .param("limit", limit)
                .query((rs, n) -> new AuditRecorded(rs.getString("entry_id"), rs.getString("service"),
                        rs.getString("action"), rs.getString("target_type"), rs.getString("target_id"),
                        rs.getString("actor"), rs.getString("actor_key_id"), rs.getString("reason"),
                        read(rs.getString("before")), read(rs.getString("after")), rs.getTimestamp("at").toInstant()))
                .list();
    }

    /** Whether an entry with this id is stored (a page cursor must name one). */
    boolean exists(String entryId) {
        return jdbc.sql("select count(*) from audit_entries where entry_id = :id").param("id", entryId)
                .query(Integer.class).single() > 0;
    }

    private Map<String, Object> read(String text) {
        return text == null ? null : json.readValue(text, OBJECT);
    }

    private static String likeEscaped(String text) {
        return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }
}

package dev.chatplatform.kit.audit;

import dev.chatplatform.contracts.audit.AuditRecorded;
import dev.chatplatform.kit.events.Outbox;
import dev.chatplatform.kit.identity.CallerIdentity;
import dev.chatplatform.kit.web.ApiException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;

/**
 * Records an admin action in the service's own {@code audit_log} table and publishes it as {@code audit.recorded.v1}
 * on {@code audit.v1}, both in the caller's transaction: the change, its entry and its event all commit, or none of
 * them does (a change that fails after {@link #record} leaves no entry). Call it from the service method that makes
 * the change, after the change is applied, with the target's state before and after as the API shows it.
 */
public class AuditLog {

    /** The longest reason kept; a longer one is refused with 400 ({@link #reason}). */
    public static final int MAX_REASON = 1000;

    private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() {
    };

    private final JdbcClient jdbc;
    private final JsonMapper json;
    private final Outbox outbox;
    private final Clock clock;
    private final String service;

    AuditLog(JdbcClient jdbc, JsonMapper json, Outbox outbox, Clock clock, String service) {
        this.jdbc = jdbc;
        this.json = json;
        this.outbox = outbox;
        this.clock = clock;
        this.service = service;
    }

    /**
     * Who made a change: the caller's account and API key as the gateway asserted them, or a service acting on its
     * own (an automatic rollback).
     */
    public record Actor(String id, String keyId) {

        public static Actor of(CallerIdentity caller) {
            return new Actor(caller.accountId(), caller.keyId());
        }

        public static Actor automatic(String name) {
            return new Actor(name, null);
        }
    }

    /**
     * Records one admin action. Must run inside the transaction that makes the change.
     *
     * @param action     {@code <target>.<verb>} in lower case ({@code account.tier-changed})
     * @param targetType what was changed ({@code account})
     * @param targetId   which one
     * @param before     the target's state before (any value that serialises to a JSON object), or null when created
     * @param after      its state after, or null when deleted
     * @param reason     why, as the caller said it ({@link #reason} checks it), or null
     * @return the entry as published
     */
    public AuditRecorded record(Actor actor, String action, String targetType, String targetId, Object before,
                                Object after, String reason) {
        if (!TransactionSynchronizationManager.isActualTransactionActive()) {
            throw new IllegalStateException("AuditLog.record must run inside the transaction that makes the change");
        }
        AuditRecorded entry = new AuditRecorded(UUID.randomUUID().toString(), service, action, targetType, targetId,
                actor.id(), actor.keyId(), reason(reason), asObject(before), asObject(after),
                clock.instant().truncatedTo(ChronoUnit.MICROS));
        jdbc.sql("""
                        insert into audit_log (id, action, target_type, target_id, actor, actor_key_id, reason, before, after, at)
                        values (:id, :action, :targetType, :targetId, :actor, :actorKeyId, :reason,
                                cast(:before as jsonb), cast(:after as jsonb), :at)""")
                .param("id", UUID.fromString(entry.entryId()))
                .param("action", entry.action())
                .param("targetType", entry.targetType())
                .param("targetId", entry.targetId())
                .param("actor", entry.actor())
                .param("actorKeyId", entry.actorKeyId())
                .param("reason", entry.reason())
                .param("before", entry.before() == null ? null : json.writeValueAsString(entry.before()))
                .param("after", entry.after() == null ? null : json.writeValueAsString(entry.after()))
                .param("at", Timestamp.from(entry.at()))
                .update();
        outbox.publish(AuditRecorded.TYPE, entry.entryId(), entry.key(), "account".equals(targetType) ? targetId : null,
                entry);
        return entry;
    }

    /**
     * The reason an admin gave, stripped; null when none was given. Longer than {@link #MAX_REASON} characters is a
     * 400 naming {@code reason}, so a controller may check it before it changes anything.
     */
    public static String reason(String reason) {
        if (reason == null || reason.isBlank()) {
            return null;
        }
        if (reason.length() > MAX_REASON) {
            throw ApiException.invalid("invalid_value", "'reason' must be at most " + MAX_REASON + " characters.",
                    "reason");
        }
        return reason.strip();
    }

    private Map<String, Object> asObject(Object state) {
        return state == null ? null : json.convertValue(state, OBJECT);
    }
}

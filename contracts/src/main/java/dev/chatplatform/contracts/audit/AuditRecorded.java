package dev.chatplatform.contracts.audit;

import dev.chatplatform.contracts.event.EventType;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One admin action, as the service that owns its target recorded it in its audit log, published on
 * {@code audit.v1} (key = {@code <targetType>:<targetId>}, so a target's entries stay in order). Its event id is
 * derived from {@code entryId}, fixed when the entry was written, so a redelivery is recognised as the same entry.
 *
 * @param entryId    the entry's id in the owning service's audit log
 * @param service    the service that owns the target and recorded the action ({@code billing-service})
 * @param action     what was done, {@code <target>.<verb>} in lower case ({@code account.tier-changed})
 * @param targetType what kind of thing was changed ({@code account}, {@code model}, {@code tier}, {@code flag})
 * @param targetId   which one
 * @param actor      who: the account id of the caller, or a service's name for automatic actions
 * @param actorKeyId the API key the caller used, or null (OIDC users, automatic actions)
 * @param reason     why, as the caller said it, or null
 * @param before     the target's state before (JSON object), or null when the action created it
 * @param after      the target's state after (JSON object), or null when the action deleted it
 * @param at         when
 */
public record AuditRecorded(
        String entryId,
        String service,
        String action,
        String targetType,
        String targetId,
        String actor,
        String actorKeyId,
        String reason,
        Map<String, Object> before,
        Map<String, Object> after,
        Instant at) {

    public static final EventType<AuditRecorded> TYPE =
            new EventType<>("audit.recorded.v1", Topics.AUDIT, AuditRecorded.class);

    /** The form of {@link #action}: lower-case words, a dot between target and verb, dashes inside words. */
    public static final Pattern ACTION = Pattern.compile("[a-z][a-z0-9-]*\\.[a-z][a-z0-9-]*");

    public AuditRecorded {
        Objects.requireNonNull(entryId, "entryId");
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(targetType, "targetType");
        Objects.requireNonNull(targetId, "targetId");
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(at, "at");
        if (!ACTION.matcher(action).matches()) {
            throw new IllegalArgumentException("action must be <target>.<verb> in lower case: " + action);
        }
    }

    /** The Kafka record key: the target, so its entries keep their order within a partition. */
    public String key() {
        return targetType + ":" + targetId;
    }
}

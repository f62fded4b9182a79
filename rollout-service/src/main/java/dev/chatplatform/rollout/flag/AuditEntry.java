package dev.chatplatform.rollout.flag;

import dev.chatplatform.contracts.rollout.FlagChanged;
import dev.chatplatform.contracts.rollout.RolloutDecided;

import java.time.Instant;
import java.util.List;

/** One audit-log entry: who, when, before, after, why, and the evidence of an automatic decision. */
public record AuditEntry(long id, String flagKey, long version, String action, String actor, String reason,
                         FlagChanged before, FlagChanged after, List<RolloutDecided.Evidence> evidence, Instant at) {
}

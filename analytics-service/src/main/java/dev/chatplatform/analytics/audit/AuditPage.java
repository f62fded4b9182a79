package dev.chatplatform.analytics.audit;

import dev.chatplatform.contracts.audit.AuditRecorded;

import java.util.List;

/** One page of audit entries, newest first; pass the last {@code entryId} as {@code after} while {@code hasMore}. */
public record AuditPage(String object, List<AuditRecorded> data, boolean hasMore) {
}

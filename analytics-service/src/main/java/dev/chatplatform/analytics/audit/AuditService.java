package dev.chatplatform.analytics.audit;

import dev.chatplatform.kit.web.ApiException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Searches the platform's audit log ({@link AuditQuery}), a page at a time. */
@Service
public class AuditService {

    private final AuditRepository entries;

    AuditService(AuditRepository entries) {
        this.entries = entries;
    }

    @Transactional(readOnly = true)
    public AuditPage search(AuditQuery query) {
        if (query.after() != null && !entries.exists(query.after())) {
            throw ApiException.invalid("invalid_value", "'after' names no audit entry; pass the last entryId of a page.",
                    "after");
        }
        var page = entries.search(query, query.limit() + 1);
        return new AuditPage("list", page.subList(0, Math.min(query.limit(), page.size())), page.size() > query.limit());
    }
}

package dev.chatplatform.analytics.audit.web;

import dev.chatplatform.analytics.audit.AuditPage;
import dev.chatplatform.analytics.audit.AuditQuery;
import dev.chatplatform.analytics.audit.AuditService;
import dev.chatplatform.contracts.audit.AuditRecorded;
import dev.chatplatform.contracts.event.Services;
import dev.chatplatform.kit.identity.Scope;
import dev.chatplatform.kit.web.ApiException;
import dev.chatplatform.kit.web.DateParameter;
import dev.chatplatform.kit.web.OptionalText;
import dev.chatplatform.kit.web.PageLimit;
import dev.chatplatform.kit.web.RequiresScope;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

/**
 * {@code GET /api/v1/admin/audit}: every admin action on the platform, newest first, for analysts and admins. Every
 * filter is optional; a filter the search cannot apply is a 400 naming it.
 */
@RestController
class AuditController {

    static final int MAX_TEXT = 200;

    private final AuditService audit;

    AuditController(AuditService audit) {
        this.audit = audit;
    }

    /**
     * @param q          free text, case-insensitive, in action, target, actor, key, reason, before and after
     * @param service    the service that recorded it (billing-service, provider-service, usage-service)
     * @param actor      who: an account id or API key id (or a service's name for automatic actions)
     * @param action     exact action ({@code account.tier-changed})
     * @param targetType exact target type ({@code account})
     * @param targetId   exact target id
     * @param from       first UTC day (ISO date), included
     * @param to         last UTC day, included
     * @param after      the last {@code entryId} of the previous page
     * @param limit      entries per page, 1 to 100 (default 50)
     */
    @GetMapping("/api/v1/admin/audit")
    @RequiresScope(Scope.ANALYST)
    AuditPage search(@RequestParam(required = false) String q,
                     @RequestParam(required = false) String service,
                     @RequestParam(required = false) String actor,
                     @RequestParam(required = false) String action,
                     @RequestParam(required = false) String targetType,
                     @RequestParam(required = false) String targetId,
                     @RequestParam(required = false) String from,
                     @RequestParam(required = false) String to,
                     @RequestParam(required = false) String after,
                     @RequestParam(defaultValue = "50") int limit) {
        PageLimit.check(limit);
        String text = OptionalText.of(q);
        if (text != null && text.length() > MAX_TEXT) {
            throw ApiException.invalid("invalid_value", "'q' must be at most " + MAX_TEXT + " characters.", "q");
        }
        String owner = OptionalText.of(service);
        if (owner != null && !Services.ALL.contains(owner)) {
            throw ApiException.invalid("invalid_value", "Unknown service '" + owner + "'; known: "
                    + String.join(", ", Services.ALL) + ".", "service");
        }
        String wantedAction = OptionalText.of(action);
        if (wantedAction != null && !AuditRecorded.ACTION.matcher(wantedAction).matches()) {
            throw ApiException.invalid("invalid_value", "'action' is <target>.<verb> in lower case, such as "
                    + "account.tier-changed.", "action");
        }
        LocalDate first = DateParameter.parse("from", from, null);
        LocalDate last = DateParameter.parse("to", to, null);
        if (first != null && last != null && first.isAfter(last)) {
            throw ApiException.invalid("invalid_period", "'from' (" + first + ") must not be after 'to' (" + last + ").",
                    "from");
        }
        return audit.search(new AuditQuery(text, owner, OptionalText.of(actor), wantedAction, OptionalText.of(targetType),
                OptionalText.of(targetId), startOf(first), last == null ? null : startOf(last.plusDays(1)), OptionalText.of(after),
                limit));
    }

    private static Instant startOf(LocalDate day) {
        return day == null ? null : day.atStartOfDay(ZoneOffset.UTC).toInstant();
    }
}

package dev.chatplatform.billing.stripe;

import dev.chatplatform.kit.identity.Scope;
import dev.chatplatform.kit.web.ApiException;
import dev.chatplatform.kit.web.PageLimit;
import dev.chatplatform.kit.web.RequiresScope;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.util.regex.Pattern;

/** The Stripe events billing received, for operators: what came in, when, and what became of it. */
@RestController
class WebhookEventController {

    /** Stripe's event types: lower-case words joined by dots (and underscores), e.g. {@code invoice.payment_failed}. */
    private static final Pattern TYPE = Pattern.compile("[a-z0-9_]+(\\.[a-z0-9_]+)*");

    private final StripeWebhooks webhooks;

    WebhookEventController(StripeWebhooks webhooks) {
        this.webhooks = webhooks;
    }

    @GetMapping("/api/v1/admin/billing/webhook-events")
    @RequiresScope(Scope.ANALYST)
    WebhookEventListResponse list(@RequestParam(required = false) String type,
                                  @RequestParam(required = false) String outcome,
                                  @RequestParam(required = false) String after,
                                  @RequestParam(defaultValue = "50") int limit) {
        if (type != null && (type.length() > 100 || !TYPE.matcher(type).matches())) {
            throw ApiException.invalid("invalid_value",
                    "'type' must be a Stripe event type such as invoice.paid (lower-case words joined by dots).", "type");
        }
        WebhookOutcome wanted = outcome == null ? null : WebhookOutcome.parse(outcome).orElseThrow(() ->
                ApiException.invalid("invalid_value", "'outcome' must be one of " + WebhookOutcome.wireNames() + ".", "outcome"));
        if (after != null && !webhooks.received(after)) {
            throw ApiException.invalid("invalid_value", "'after' names no received event.", "after");
        }
        PageLimit.check(limit);
        return webhooks.list(type, wanted, after, limit);
    }
}

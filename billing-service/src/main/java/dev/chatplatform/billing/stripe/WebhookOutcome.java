package dev.chatplatform.billing.stripe;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * What became of a received Stripe event, as the operators' list shows it. {@link #APPLIED} and {@link #IGNORED}
 * are stored when the event is processed (once); the other three are read from its {@code stripe-webhook} job
 * while it is not.
 */
enum WebhookOutcome {
    /** Processed: a type billing handles (its handler may have found nothing to change, e.g. an older state). */
    APPLIED,
    /** Processed: a type billing needs nothing from. */
    IGNORED,
    /** Not processed yet and not failed: its job waits or runs. */
    PENDING,
    /** Failed; its job runs again by itself after its back-off. */
    RETRYING,
    /** Failed for good: its job is parked with the reason until an operator retries it. */
    FAILED;

    String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    static Optional<WebhookOutcome> parse(String text) {
        return Arrays.stream(values()).filter(o -> o.wireName().equals(text)).findFirst();
    }

    static String wireNames() {
        return String.join(", ", Arrays.stream(values()).map(WebhookOutcome::wireName).toList());
    }
}

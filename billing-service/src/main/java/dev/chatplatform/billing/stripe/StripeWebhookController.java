package dev.chatplatform.billing.stripe;

import dev.chatplatform.kit.web.PublicEndpoint;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

import java.util.Map;

/** Public (also in platform.identity.public-paths): Stripe signs its calls instead of carrying a platform identity. */
@RestController
class StripeWebhookController {

    private final StripeWebhooks webhooks;

    StripeWebhookController(StripeWebhooks webhooks) {
        this.webhooks = webhooks;
    }

    /** The raw bytes, exactly as signed: never a parsed-and-reserialized body. */
    @PostMapping("/webhooks/stripe")
    @PublicEndpoint("Stripe calls it; billing-service checks the Stripe-Signature on the raw body")
    ResponseEntity<Map<String, Object>> receive(@RequestBody(required = false) byte[] payload,
                                                @RequestHeader(name = "Stripe-Signature", required = false) String signature) {
        boolean fresh = webhooks.receive(payload == null ? new byte[0] : payload, signature);
        return ResponseEntity.ok(Map.of("received", true, "duplicate", !fresh));
    }
}

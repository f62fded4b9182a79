package dev.chatplatform.kit.config;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;
import java.util.List;

/**
 * Settings every service shares, under {@code platform.*}.
 *
 * @param identity how gateway-asserted identity is verified
 * @param web      limits at the HTTP edge
 * @param outbox   how often the outbox is polled when nothing wakes it
 */
@ConfigurationProperties("platform")
public record PlatformProperties(@DefaultValue Identity identity, @DefaultValue Web web, @DefaultValue Outbox outbox) {

    /**
     * @param secret      shared HMAC secret ({@code PLATFORM_IDENTITY_SECRET}), at least 32 bytes; no default
     * @param ttl         how long a minted identity token stays valid: each is minted right before its call, so
     *                    seconds are enough (and a token that leaks is soon worthless)
     * @param publicPaths Ant patterns a service serves without an identity (besides /actuator)
     */
    public record Identity(String secret, @DefaultValue("30s") Duration ttl, @DefaultValue List<String> publicPaths) {
    }

    /** @param maxBodyBytes requests with a larger body are refused with 413 */
    public record Web(@DefaultValue("1048576") long maxBodyBytes) {
    }

    /** @param pollInterval safety-net poll; commits wake the relay at once */
    public record Outbox(@DefaultValue("1s") Duration pollInterval) {
    }
}

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
 * @param jobs     background jobs (services with db-scheduler): the one retry policy and where failures are shown
 * @param events   how event consumers and the outbox retry what failed for a reason that may pass
 */
@ConfigurationProperties("platform")
public record PlatformProperties(@DefaultValue Identity identity, @DefaultValue Web web, @DefaultValue Outbox outbox,
                                 @DefaultValue Jobs jobs, @DefaultValue Events events) {

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

    /**
     * @param pollInterval safety-net poll: every commit that enqueues wakes its relay at once (and a relay that finds
     *                     another replica's holding the lock tries again shortly), so the poll only picks up rows
     *                     nothing woke a relay for, such as a parked row an operator released by SQL
     */
    public record Outbox(@DefaultValue("10s") Duration pollInterval) {
    }

    /**
     * The one back-off policy for every job of a service (see {@code dev.chatplatform.kit.jobs.BackoffPolicy}).
     *
     * @param firstRetry   wait after a job's first failure
     * @param multiplier   each further wait is this many times the one before
     * @param maxDelay     the longest wait between two attempts
     * @param maxAttempts  failed attempts after which a job is parked (a permanent error parks it at once)
     * @param pollInterval how often due jobs are looked for when no commit wakes the scheduler: a job enqueued or
     *                     retried by an admin runs at once (its commit wakes the scheduler), a retry after a failure
     *                     runs up to this long after its back-off is over
     * @param threads      jobs run at once per replica
     * @param adminPath    where the admin listing is served; a path the gateway routes to this service
     */
    public record Jobs(@DefaultValue("1s") Duration firstRetry, @DefaultValue("2") double multiplier,
                       @DefaultValue("1h") Duration maxDelay, @DefaultValue("24") int maxAttempts,
                       @DefaultValue("5s") Duration pollInterval, @DefaultValue("4") int threads,
                       @DefaultValue("/api/v1/admin/jobs") String adminPath) {
    }

    /**
     * @param backoff the wait before each retry of a transient failure (the database or the broker is away): a
     *                consumer's record (retried for as long as it takes, never skipped), the outbox relay's send,
     *                a standalone outbox insert
     */
    public record Events(@DefaultValue Backoff backoff) {
    }

    /**
     * @param initial the first wait; each next wait doubles
     * @param max     the longest wait, so a recovered database or broker is noticed within about this long
     */
    public record Backoff(@DefaultValue("200ms") Duration initial, @DefaultValue("30s") Duration max) {
    }
}

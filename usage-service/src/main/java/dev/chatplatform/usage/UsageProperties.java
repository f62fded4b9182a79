package dev.chatplatform.usage;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * usage-service settings ({@code usage.*}).
 *
 * @param defaultTier   the tier of an account billing has not told us about yet
 * @param holds         budget holds
 * @param quota         quota state on quota.v1
 * @param notifications threshold e-mails
 */
@ConfigurationProperties("usage")
public record UsageProperties(
        @DefaultValue("free") String defaultTier,
        @DefaultValue Holds holds,
        @DefaultValue Quota quota,
        @DefaultValue Notifications notifications) {

    /**
     * @param ttl              a hold neither settled nor released is released after this long
     * @param sweepInterval    how often the sweep looks for expired holds
     * @param minOutputTokens  the smallest answer worth serving: a hold that cannot grant
     *                         {@code min(maxTokens, minOutputTokens)} output tokens is refused
     * @param defaultMaxTokens output tokens reserved when the request names no {@code maxTokens}
     */
    public record Holds(
            @DefaultValue("10m") Duration ttl,
            @DefaultValue("30s") Duration sweepInterval,
            @DefaultValue("16") long minOutputTokens,
            @DefaultValue("4096") long defaultMaxTokens) {
    }

    /**
     * @param publishInterval how often the state of accounts whose holds or usage changed is published on quota.v1
     *                        (at most one state per account per interval)
     */
    public record Quota(@DefaultValue("250ms") Duration publishInterval) {
    }

    /**
     * @param from         sender of threshold e-mails
     * @param pollInterval how often pending threshold e-mails are sent
     */
    public record Notifications(
            @DefaultValue("no-reply@chatplatform.local") String from,
            @DefaultValue("5s") Duration pollInterval) {
    }
}

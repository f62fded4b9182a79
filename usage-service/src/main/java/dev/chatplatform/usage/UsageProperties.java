package dev.chatplatform.usage;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * usage-service settings ({@code usage.*}).
 *
 * @param defaultTier   the tier of an account billing has not told us about yet
 * @param holds         budget holds
 * @param leases        budget leases (blocks of budget chat-service draws from in memory)
 * @param quota         quota state on quota.v1
 * @param notifications threshold e-mails
 */
@ConfigurationProperties("usage")
public record UsageProperties(
        @DefaultValue("free") String defaultTier,
        @DefaultValue Holds holds,
        @DefaultValue Leases leases,
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
     * @param fraction    the share of what is left of each limit one lease takes (also at most the tier's requests
     *                    and tokens per minute)
     * @param ttl         how long a lease may be drawn from (never past the end of the account's day)
     * @param grace       how long after its expiry a lease not returned counts as abandoned (its holder crashed)
     * @param minMessages no lease when fewer messages than this would be leased: requests take exact holds
     * @param minTokens   no lease below this many tokens
     * @param minCostMicroUsd no lease below this budget
     */
    public record Leases(
            @DefaultValue("0.1") double fraction,
            @DefaultValue("30s") Duration ttl,
            @DefaultValue("30s") Duration grace,
            @DefaultValue("2") long minMessages,
            @DefaultValue("8192") long minTokens,
            @DefaultValue("5000") long minCostMicroUsd) {
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

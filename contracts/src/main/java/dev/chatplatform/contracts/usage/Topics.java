package dev.chatplatform.contracts.usage;

/** Topics about usage: written by chat-service (usage.v1) and usage-service (the others). Keys are account ids. */
public final class Topics {

    /** One {@link UsageRecorded} per completed (or partially completed) model request. */
    public static final String USAGE = "usage.v1";
    /** Latest {@link QuotaChanged} of every account (compacted). */
    public static final String QUOTA = "quota.v1";
    /** {@link QuotaThresholdCrossed} facts: 80/90/100 % of a limit reached. */
    public static final String QUOTA_THRESHOLDS = "quota-thresholds.v1";

    private Topics() {
    }
}

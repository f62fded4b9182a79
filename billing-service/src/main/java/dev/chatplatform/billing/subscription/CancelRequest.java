package dev.chatplatform.billing.subscription;

/** @param atPeriodEnd true (default): the subscription runs until its paid period ends; false: at once */
public record CancelRequest(Boolean atPeriodEnd) {

    boolean endOfPeriod() {
        return atPeriodEnd == null || atPeriodEnd;
    }
}

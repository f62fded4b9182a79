package dev.chatplatform.usage.quota;

import java.time.Instant;
import java.time.ZoneId;

/** What usage-service knows of an account: its tier, where its periods start, and where to e-mail it. */
record QuotaAccount(String accountId, String tier, String email, ZoneId timeZone, int monthlyAnchorDay) {

    Periods periodsAt(Instant instant) {
        return Periods.at(instant, timeZone, monthlyAnchorDay);
    }
}

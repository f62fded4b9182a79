package dev.chatplatform.usage.quota;

import java.time.Instant;

/** One account's ledger for one monthly period, with the counters of the day it last saw. */
record LedgerRow(String accountId, Instant monthStart, Instant monthEnd, Instant dayStart, Instant dayEnd,
                 long dayMessagesUsed, long dayMessagesHeld, long tokensUsed, long tokensHeld, long costUsed,
                 long costHeld) {

    static LedgerRow empty(String accountId, Periods p) {
        return new LedgerRow(accountId, p.monthStart(), p.monthEnd(), p.dayStart(), p.dayEnd(), 0, 0, 0, 0, 0, 0);
    }

    /** This row as seen on the day starting {@code dayStart}: day counters of an earlier day count as zero. */
    LedgerRow asOfDay(Periods p) {
        if (dayStart.equals(p.dayStart())) {
            return this;
        }
        return new LedgerRow(accountId, monthStart, monthEnd, p.dayStart(), p.dayEnd(), 0, 0, tokensUsed, tokensHeld,
                costUsed, costHeld);
    }

    LimitState limit(LimitName name, long max) {
        return switch (name) {
            case MESSAGES_PER_DAY -> new LimitState(name, max, dayMessagesUsed, dayMessagesHeld, dayStart, dayEnd);
            case TOKENS_PER_MONTH -> new LimitState(name, max, tokensUsed, tokensHeld, monthStart, monthEnd);
            case COST_MICRO_USD_PER_MONTH -> new LimitState(name, max, costUsed, costHeld, monthStart, monthEnd);
        };
    }
}

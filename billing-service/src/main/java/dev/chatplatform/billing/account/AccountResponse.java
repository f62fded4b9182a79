package dev.chatplatform.billing.account;

import java.time.Instant;

public record AccountResponse(String id, String email, String name, String tier, String status, Instant createdAt) {

    static AccountResponse of(Account account) {
        return new AccountResponse(account.id().toString(), account.email(), account.name(), account.tier().wire(),
                account.status().wire(), account.createdAt());
    }
}

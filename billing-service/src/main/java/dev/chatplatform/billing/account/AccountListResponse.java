package dev.chatplatform.billing.account;

import java.util.List;

/** One page of accounts; pass the last id as {@code after} for the next page while {@code hasMore}. */
public record AccountListResponse(String object, List<AccountResponse> data, boolean hasMore) {

    static AccountListResponse of(List<Account> accounts, boolean hasMore) {
        return new AccountListResponse("list", accounts.stream().map(AccountResponse::of).toList(), hasMore);
    }
}

package dev.chatplatform.provider.auto;

import org.springframework.stereotype.Service;

/** The caller's tier from the local view of {@code accounts.v1}; {@value #DEFAULT_TIER} when unknown. */
@Service
public class AccountTiers {

    public static final String DEFAULT_TIER = "free";

    private final AccountTierRepository repository;

    AccountTiers(AccountTierRepository repository) {
        this.repository = repository;
    }

    public String tierOf(String accountId) {
        return repository.tierOf(accountId).orElse(DEFAULT_TIER);
    }

    /** Keeps the newest version only, so replays and redeliveries never roll a tier back. */
    void apply(String accountId, String tier, long version) {
        repository.upsertIfNewer(accountId, tier, version);
    }
}

package dev.chatplatform.provider.auto;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import java.util.Optional;

@Repository
class AccountTierRepository {

    private final JdbcClient jdbc;

    AccountTierRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    Optional<String> tierOf(String accountId) {
        return jdbc.sql("select tier from account_tiers where account_id = ?").param(accountId)
                .query(String.class).optional();
    }

    void upsertIfNewer(String accountId, String tier, long version) {
        jdbc.sql("""
                        insert into account_tiers (account_id, tier, version, updated_at) values (?, ?, ?, now())
                        on conflict (account_id) do update set tier = excluded.tier, version = excluded.version,
                            updated_at = now()
                        where account_tiers.version < excluded.version""")
                .params(accountId, tier, version)
                .update();
    }
}

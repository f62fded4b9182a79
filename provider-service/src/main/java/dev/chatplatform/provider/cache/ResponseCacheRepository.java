package dev.chatplatform.provider.cache;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;

@Repository
class ResponseCacheRepository {

    private final JdbcClient jdbc;

    ResponseCacheRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    Optional<String> find(String accountId, String key, Instant now) {
        return jdbc.sql("select answer from response_cache where account_id = ? and cache_key = ? and expires_at > ?")
                .params(accountId, key, Timestamp.from(now))
                .query(String.class).optional();
    }

    void put(String accountId, String key, String model, String answer, Instant now, Instant expiresAt) {
        jdbc.sql("""
                        insert into response_cache (account_id, cache_key, model, answer, created_at, expires_at)
                        values (?, ?, ?, ?::jsonb, ?, ?)
                        on conflict (account_id, cache_key) do update set model = excluded.model,
                            answer = excluded.answer, created_at = excluded.created_at, expires_at = excluded.expires_at""")
                .params(accountId, key, model, answer, Timestamp.from(now), Timestamp.from(expiresAt))
                .update();
    }

    int deleteExpired(Instant now) {
        return jdbc.sql("delete from response_cache where expires_at <= ?").param(Timestamp.from(now)).update();
    }
}

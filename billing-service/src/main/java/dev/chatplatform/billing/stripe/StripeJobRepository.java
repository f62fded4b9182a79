package dev.chatplatform.billing.stripe;

import dev.chatplatform.billing.account.AccountId;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import java.util.List;
import java.util.UUID;

@Repository
class StripeJobRepository {

    record Job(long id, String kind, AccountId accountId, String idempotencyKey, int attempts) {
    }

    private final JdbcClient jdbc;

    StripeJobRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void enqueue(String kind, AccountId account, String idempotencyKey) {
        jdbc.sql("insert into stripe_jobs (kind, account_id, idempotency_key) values (:kind, :account, :key) "
                        + "on conflict (idempotency_key) do nothing")
                .param("kind", kind).param("account", account.value()).param("key", idempotencyKey).update();
    }

    List<Job> lockDue(int limit) {
        return jdbc.sql("select id, kind, account_id, idempotency_key, attempts from stripe_jobs where done_at is null "
                        + "and next_attempt_at <= now() order by id limit :limit for update skip locked")
                .param("limit", limit)
                .query((rs, i) -> new Job(rs.getLong(1), rs.getString(2), new AccountId(rs.getObject(3, UUID.class)),
                        rs.getString(4), rs.getInt(5)))
                .list();
    }

    void done(long id) {
        jdbc.sql("update stripe_jobs set done_at = now(), attempts = attempts + 1, last_error = null where id = :id")
                .param("id", id).update();
    }

    void retryLater(long id, int attempts, long delaySeconds, String error) {
        jdbc.sql("update stripe_jobs set attempts = :a, last_error = :e, next_attempt_at = now() + make_interval(secs => :d) "
                        + "where id = :id")
                .param("id", id).param("a", attempts).param("e", error).param("d", delaySeconds).update();
    }
}

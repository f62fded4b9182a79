package dev.chatplatform.billing.mail;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import java.util.List;

@Repository
class MailRepository {

    record Mail(String id, String recipient, String subject, String body, int attempts) {
    }

    private final JdbcClient jdbc;

    MailRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void enqueue(String id, String recipient, String subject, String body) {
        jdbc.sql("insert into outgoing_mail (id, recipient, subject, body) values (:id, :to, :subject, :body) "
                        + "on conflict (id) do nothing")
                .param("id", id).param("to", recipient).param("subject", subject).param("body", body).update();
    }

    List<Mail> lockDue(int limit) {
        return jdbc.sql("select id, recipient, subject, body, attempts from outgoing_mail where sent_at is null "
                        + "and next_attempt_at <= now() order by created_at limit :limit for update skip locked")
                .param("limit", limit)
                .query((rs, i) -> new Mail(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getInt(5)))
                .list();
    }

    void markSent(String id) {
        jdbc.sql("update outgoing_mail set sent_at = now() where id = :id").param("id", id).update();
    }

    void retryLater(String id, int attempts, long delaySeconds) {
        jdbc.sql("update outgoing_mail set attempts = :a, next_attempt_at = now() + make_interval(secs => :d) where id = :id")
                .param("id", id).param("a", attempts).param("d", delaySeconds).update();
    }
}

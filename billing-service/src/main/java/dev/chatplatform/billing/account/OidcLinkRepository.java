package dev.chatplatform.billing.account;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

@Repository
class OidcLinkRepository {

    record Link(String subject, AccountId accountId, String status, long version) {
    }

    private final JdbcClient jdbc;

    OidcLinkRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    Optional<Link> findForUpdate(String subject) {
        return jdbc.sql("select subject, account_id, status, version from oidc_links where subject = :s for update")
                .param("s", subject)
                .query((rs, i) -> new Link(rs.getString(1), new AccountId(rs.getObject(2, UUID.class)), rs.getString(3),
                        rs.getLong(4)))
                .optional();
    }

    /** Inserts or overwrites the subject's link with {@code link}'s version (the caller computed it under lock). */
    void save(Link link, Instant now) {
        jdbc.sql("""
                        insert into oidc_links (subject, account_id, status, version, updated_at)
                        values (:s, :a, :status, :v, :now)
                        on conflict (subject) do update set account_id = :a, status = :status, version = :v, updated_at = :now""")
                .param("s", link.subject()).param("a", link.accountId().value()).param("status", link.status())
                .param("v", link.version()).param("now", Timestamp.from(now))
                .update();
    }
}

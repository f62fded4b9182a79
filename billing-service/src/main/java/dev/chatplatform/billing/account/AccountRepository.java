package dev.chatplatform.billing.account;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

@Repository
class AccountRepository {

    private static final String COLUMNS = "id, email, name, tier, status, version, created_at, updated_at";

    private final JdbcClient jdbc;

    AccountRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Inserts {@code account} unless one with its e-mail exists (or is being inserted concurrently: the
     * statement waits for that transaction). Returns whether this call inserted it.
     */
    boolean insertIfEmailIsNew(Account account) {
        return jdbc.sql("insert into accounts (" + COLUMNS + ") values "
                        + "(:id, :email, :name, :tier, :status, :version, :createdAt, :updatedAt) "
                        + "on conflict (email) do nothing")
                .param("id", account.id().value())
                .param("email", account.email())
                .param("name", account.name())
                .param("tier", account.tier().wire())
                .param("status", account.status().wire())
                .param("version", account.version())
                .param("createdAt", Timestamp.from(account.createdAt()))
                .param("updatedAt", Timestamp.from(account.updatedAt()))
                .update() == 1;
    }

    Optional<Account> findByEmail(String email) {
        return jdbc.sql("select " + COLUMNS + " from accounts where email = :email")
                .param("email", email).query(AccountRepository::map).optional();
    }

    Optional<Account> findById(AccountId id) {
        return jdbc.sql("select " + COLUMNS + " from accounts where id = :id")
                .param("id", id.value()).query(AccountRepository::map).optional();
    }

    /** The account, locked until the transaction ends, so concurrent changes apply one after the other. */
    Optional<Account> findForUpdate(AccountId id) {
        return jdbc.sql("select " + COLUMNS + " from accounts where id = :id for update")
                .param("id", id.value()).query(AccountRepository::map).optional();
    }

    Optional<Account> findByOidcSubject(String subject) {
        return jdbc.sql("select " + COLUMNS + " from accounts where oidc_subject = :subject")
                .param("subject", subject).query(AccountRepository::map).optional();
    }

    Optional<String> oidcSubject(AccountId id) {
        return jdbc.sql("select oidc_subject from accounts where id = :id")
                .param("id", id.value()).query(String.class).optional();
    }

    /** Sets the subject only where none is set; false when the account already has one (or another has it). */
    boolean linkOidcSubject(AccountId id, String subject) {
        return jdbc.sql("""
                        update accounts set oidc_subject = :subject where id = :id and oidc_subject is null
                        and not exists (select 1 from accounts where oidc_subject = :subject)""")
                .param("id", id.value()).param("subject", subject).update() == 1;
    }

    void clearOidcSubject(AccountId id) {
        jdbc.sql("update accounts set oidc_subject = null where id = :id").param("id", id.value()).update();
    }

    Optional<String> stripeCustomerId(AccountId id) {
        return jdbc.sql("select stripe_customer_id from accounts where id = :id")
                .param("id", id.value()).query(String.class).optional();
    }

    Optional<AccountId> findByStripeCustomerId(String customerId) {
        return jdbc.sql("select id from accounts where stripe_customer_id = :customer")
                .param("customer", customerId).query((rs, i) -> new AccountId(rs.getObject(1, UUID.class))).optional();
    }

    void setStripeCustomerId(AccountId id, String customerId) {
        jdbc.sql("update accounts set stripe_customer_id = :customer where id = :id")
                .param("id", id.value()).param("customer", customerId).update();
    }

    /** Clears the customer only while it is still {@code customerId}; false when the account has another one or none. */
    boolean clearStripeCustomerId(AccountId id, String customerId) {
        return jdbc.sql("update accounts set stripe_customer_id = null where id = :id and stripe_customer_id = :customer")
                .param("id", id.value()).param("customer", customerId).update() == 1;
    }

    /** Writes {@code next} over the version before it; false when that version is no longer the stored one. */
    boolean update(Account next) {
        return jdbc.sql("""
                        update accounts set email = :email, name = :name, tier = :tier, status = :status,
                        version = :version, updated_at = :updatedAt where id = :id and version = :previous""")
                .param("email", next.email())
                .param("name", next.name())
                .param("tier", next.tier().wire())
                .param("status", next.status().wire())
                .param("version", next.version())
                .param("updatedAt", Timestamp.from(next.updatedAt()))
                .param("id", next.id().value())
                .param("previous", next.version() - 1)
                .update() == 1;
    }

    /**
     * One page ordered by creation, after the account {@code after} (exclusive) when given; with {@code search},
     * only accounts whose e-mail or name contains it (any case) or whose id it is.
     */
    List<Account> list(AccountStatus status, String search, AccountId after, int limit) {
        return jdbc.sql("select " + COLUMNS + " from accounts a where (cast(:status as varchar) is null or status = :status) "
                        + "and (cast(:search as varchar) is null or email ilike :pattern escape '\\' "
                        + "or name ilike :pattern escape '\\' or cast(id as varchar) = lower(:search)) "
                        + "and (cast(:after as uuid) is null or (created_at, id) > "
                        + "(select created_at, id from accounts where id = cast(:after as uuid))) "
                        + "order by created_at, id limit :limit")
                .param("status", status == null ? null : status.wire())
                .param("search", search)
                .param("pattern", search == null ? null : "%" + search.replaceAll("([\\\\%_])", "\\\\$1") + "%")
                .param("after", after == null ? null : after.value())
                .param("limit", limit)
                .query(AccountRepository::map).list();
    }

    private static Account map(ResultSet rs, int row) throws SQLException {
        return new Account(new AccountId(rs.getObject("id", UUID.class)), rs.getString("email"), rs.getString("name"),
                Tier.fromWire(rs.getString("tier")).orElseThrow(), AccountStatus.fromWire(rs.getString("status")),
                rs.getLong("version"), rs.getTimestamp("created_at").toInstant(),
                rs.getTimestamp("updated_at").toInstant());
    }
}

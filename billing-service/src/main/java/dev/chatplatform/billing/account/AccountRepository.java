package dev.chatplatform.billing.account;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
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

    private static Account map(ResultSet rs, int row) throws SQLException {
        return new Account(new AccountId(rs.getObject("id", UUID.class)), rs.getString("email"), rs.getString("name"),
                Tier.fromWire(rs.getString("tier")).orElseThrow(), AccountStatus.fromWire(rs.getString("status")),
                rs.getLong("version"), rs.getTimestamp("created_at").toInstant(),
                rs.getTimestamp("updated_at").toInstant());
    }
}

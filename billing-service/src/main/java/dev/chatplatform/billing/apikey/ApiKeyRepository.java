package dev.chatplatform.billing.apikey;

import dev.chatplatform.billing.account.AccountId;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

@Repository
class ApiKeyRepository {

    private static final String COLUMNS =
            "id, account_id, secret_hash, prefix, name, scopes, status, version, created_at, revoked_at";

    private final JdbcClient jdbc;

    ApiKeyRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void insert(ApiKey key) {
        // scopes are validated words (chat, account, analyst, admin), so a comma-joined string is an exact encoding
        jdbc.sql("insert into api_keys (" + COLUMNS + ") values (:id, :accountId, :secretHash, :prefix, :name, "
                        + "string_to_array(:scopes, ','), :status, :version, :createdAt, :revokedAt)")
                .param("id", key.id().value())
                .param("accountId", key.accountId().value())
                .param("secretHash", key.secretHash())
                .param("prefix", key.prefix())
                .param("name", key.name())
                .param("scopes", String.join(",", key.scopes()))
                .param("status", key.status().wire())
                .param("version", key.version())
                .param("createdAt", Timestamp.from(key.createdAt()))
                .param("revokedAt", key.revokedAt() == null ? null : Timestamp.from(key.revokedAt()))
                .update();
    }

    /** The key, locked until the transaction ends, so concurrent changes apply one after the other. */
    Optional<ApiKey> findForUpdate(ApiKeyId id) {
        return jdbc.sql("select " + COLUMNS + " from api_keys where id = :id for update")
                .param("id", id.value()).query(ApiKeyRepository::map).optional();
    }

    List<ApiKey> findByAccount(AccountId account) {
        return jdbc.sql("select " + COLUMNS + " from api_keys where account_id = :account order by created_at, id")
                .param("account", account.value()).query(ApiKeyRepository::map).list();
    }

    /** Writes {@code next} over the version before it; false when that version is no longer the stored one. */
    boolean update(ApiKey next) {
        return jdbc.sql("""
                        update api_keys set status = :status, version = :version, revoked_at = :revokedAt
                        where id = :id and version = :previous""")
                .param("status", next.status().wire())
                .param("version", next.version())
                .param("revokedAt", next.revokedAt() == null ? null : Timestamp.from(next.revokedAt()))
                .param("id", next.id().value())
                .param("previous", next.version() - 1)
                .update() == 1;
    }

    private static ApiKey map(ResultSet rs, int row) throws SQLException {
        Timestamp revokedAt = rs.getTimestamp("revoked_at");
        return new ApiKey(new ApiKeyId(rs.getString("id")), new AccountId(rs.getObject("account_id", UUID.class)),
                rs.getString("secret_hash"), rs.getString("prefix"), rs.getString("name"),
                Arrays.asList((String[]) rs.getArray("scopes").getArray()),
                ApiKeyStatus.fromWire(rs.getString("status")), rs.getLong("version"),
                rs.getTimestamp("created_at").toInstant(), revokedAt == null ? null : revokedAt.toInstant());
    }
}

package dev.chatplatform.chat.conversation;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

/** Every method takes the account: another account's conversation is simply not found. */
@Repository
class ConversationRepository {

    private final JdbcClient jdbc;

    ConversationRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void insert(Conversation c) {
        jdbc.sql("""
                        insert into conversations (id, account_id, title, model, system_prompt, created_at, updated_at)
                        values (:id, :account, :title, :model, :systemPrompt, :createdAt, :updatedAt)""")
                .param("id", c.id()).param("account", c.accountId()).param("title", c.title())
                .param("model", c.model()).param("systemPrompt", c.systemPrompt())
                .param("createdAt", utc(c.createdAt())).param("updatedAt", utc(c.updatedAt()))
                .update();
    }

    /** Serializes the account's creations, so the per-account limit holds under concurrency. */
    void lockAccount(String accountId) {
        jdbc.sql("select pg_advisory_xact_lock(hashtext(:account))").param("account", accountId).query().singleRow();
    }

    int countByAccount(String accountId) {
        return jdbc.sql("select count(*) from conversations where account_id = :account")
                .param("account", accountId).query(Integer.class).single();
    }

    Optional<Conversation> find(String accountId, String id) {
        return jdbc.sql("select * from conversations where id = :id and account_id = :account")
                .param("id", id).param("account", accountId).query(ConversationRepository::map).optional();
    }

    /** Locks the row until the transaction ends: one message turn at a time per conversation. */
    Optional<Conversation> lock(String accountId, String id) {
        return jdbc.sql("select * from conversations where id = :id and account_id = :account for update")
                .param("id", id).param("account", accountId).query(ConversationRepository::map).optional();
    }

    /**
     * Newest first; {@code after} is the last row of the previous page. {@code titleContains} (or null)
     * matches case-insensitively, literally (no wildcards).
     */
    List<Conversation> page(String accountId, String titleContains, Instant afterCreatedAt, String afterId, int limit) {
        StringBuilder sql = new StringBuilder("select * from conversations where account_id = :account");
        if (titleContains != null) {
            sql.append(" and title ilike :pattern escape '\\'");
        }
        if (afterId != null) {
            sql.append(" and (created_at, id) < (:afterCreatedAt, :afterId)");
        }
        sql.append(" order by created_at desc, id desc limit :limit");
        var statement = jdbc.sql(sql.toString()).param("account", accountId).param("limit", limit);
        if (titleContains != null) {
            statement = statement.param("pattern", "%" + titleContains.replace("\\", "\\\\")
                    .replace("%", "\\%").replace("_", "\\_") + "%");
        }
        if (afterId != null) {
            statement = statement.param("afterCreatedAt", utc(afterCreatedAt)).param("afterId", afterId);
        }
        return statement.query(ConversationRepository::map).list();
    }

    void update(Conversation c) {
        jdbc.sql("""
                        update conversations set title = :title, model = :model, system_prompt = :systemPrompt,
                            updated_at = :updatedAt
                        where id = :id and account_id = :account""")
                .param("id", c.id()).param("account", c.accountId()).param("title", c.title())
                .param("model", c.model()).param("systemPrompt", c.systemPrompt())
                .param("updatedAt", utc(c.updatedAt()))
                .update();
    }

    /** Marks activity; sets the title only when it has none yet. */
    void touch(String id, Instant at, String titleIfNone) {
        jdbc.sql("update conversations set updated_at = :at, title = coalesce(title, :title) where id = :id")
                .param("id", id).param("at", utc(at)).param("title", titleIfNone).update();
    }

    /** Deletes the conversation (its messages cascade); returns its model, or empty when there was none. */
    Optional<String> delete(String accountId, String id) {
        return jdbc.sql("delete from conversations where id = :id and account_id = :account returning model")
                .param("id", id).param("account", accountId).query(String.class).optional();
    }

    static OffsetDateTime utc(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }

    static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    private static Conversation map(ResultSet rs, int row) throws SQLException {
        return new Conversation(rs.getString("id"), rs.getString("account_id"), rs.getString("title"),
                rs.getString("model"), rs.getString("system_prompt"), instant(rs, "created_at"),
                instant(rs, "updated_at"));
    }
}

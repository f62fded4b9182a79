package dev.chatplatform.chat.conversation;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static dev.chatplatform.chat.conversation.ConversationRepository.instant;
import static dev.chatplatform.chat.conversation.ConversationRepository.utc;

/** Messages of a conversation, in the order they were written ({@code seq}). */
@Repository
class MessageRepository {

    private final JdbcClient jdbc;

    MessageRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Inserts a message of {@code accountId} and returns it with its sequence number;
     * {@code replacesMessageId} names the answer a regeneration replaces (or null).
     */
    Message insert(String accountId, Message m, String replacesMessageId) {
        long seq = jdbc.sql("""
                        insert into messages (id, conversation_id, account_id, role, content, status, model, request_id,
                            input_tokens, history_truncated, dropped_messages, replaces_message_id, created_at, completed_at)
                        values (:id, :conversationId, :account, :role, :content, :status, :model, :requestId,
                            :inputTokens, :historyTruncated, :droppedMessages, :replaces, :createdAt, :completedAt)
                        returning seq""")
                .param("id", m.id()).param("conversationId", m.conversationId()).param("account", accountId)
                .param("role", m.role()).param("content", m.content()).param("status", m.status().dbValue())
                .param("model", m.model()).param("requestId", m.requestId()).param("inputTokens", m.inputTokens())
                .param("historyTruncated", m.historyTruncated()).param("droppedMessages", m.droppedMessages())
                .param("replaces", replacesMessageId).param("createdAt", utc(m.createdAt()))
                .param("completedAt", utc(m.completedAt()))
                .query(Long.class).single();
        return new Message(seq, m.id(), m.conversationId(), m.role(), m.content(), m.status(), m.model(),
                m.requestId(), m.inputTokens(), m.cachedInputTokens(), m.outputTokens(), m.costMicroUsd(),
                m.latencyMs(), m.timeToFirstTokenMs(), m.finishReason(), m.historyTruncated(), m.droppedMessages(),
                m.createdAt(), m.completedAt(), m.auto());
    }

    /** The whole conversation, oldest first (context building and limits). */
    List<Message> all(String conversationId) {
        return jdbc.sql("select * from messages where conversation_id = :c order by seq")
                .param("c", conversationId).query(MessageRepository::map).list();
    }

    /** A page, oldest first, after sequence number {@code afterSeq} (0 for the first page). */
    List<Message> page(String conversationId, long afterSeq, int limit) {
        return jdbc.sql("select * from messages where conversation_id = :c and seq > :after order by seq limit :limit")
                .param("c", conversationId).param("after", afterSeq).param("limit", limit)
                .query(MessageRepository::map).list();
    }

    /** Answers still generating that started after {@code since} (older ones are from a replica that died). */
    boolean generating(String conversationId, Instant since) {
        return jdbc.sql("""
                        select count(*) from messages
                        where conversation_id = :c and status = 'generating' and created_at > :since""")
                .param("c", conversationId).param("since", utc(since)).query(Integer.class).single() > 0;
    }

    /** Flags the conversation's running generation for stopping; returns its id, if there was one. */
    Optional<String> requestStop(String conversationId, Instant since) {
        return jdbc.sql("""
                        update messages set stop_requested = true
                        where conversation_id = :c and status = 'generating' and created_at > :since
                        returning id""")
                .param("c", conversationId).param("since", utc(since)).query(String.class).optional();
    }

    /** Whether the answer should stop: asked to, or gone with its conversation. */
    boolean stopRequested(String id) {
        return jdbc.sql("select stop_requested from messages where id = :id").param("id", id)
                .query(Boolean.class).optional().orElse(true);
    }

    /** Stores the end of an answer; false when it is gone (its conversation was deleted meanwhile). */
    boolean complete(Message m) {
        return jdbc.sql("""
                        update messages set content = :content, status = :status, input_tokens = :inputTokens,
                            cached_input_tokens = :cached, output_tokens = :outputTokens, cost_micro_usd = :cost,
                            latency_ms = :latency, time_to_first_token_ms = :ttft, finish_reason = :finishReason,
                            completed_at = :completedAt, auto_model = :autoModel, auto_reason = :autoReason
                        where id = :id""")
                .param("id", m.id()).param("content", m.content()).param("status", m.status().dbValue())
                .param("inputTokens", m.inputTokens()).param("cached", m.cachedInputTokens())
                .param("outputTokens", m.outputTokens()).param("cost", m.costMicroUsd())
                .param("latency", m.latencyMs()).param("ttft", m.timeToFirstTokenMs())
                .param("finishReason", m.finishReason()).param("completedAt", utc(m.completedAt()))
                .param("autoModel", m.auto() == null ? null : m.auto().model())
                .param("autoReason", m.auto() == null ? null : m.auto().reason())
                .update() == 1;
    }

    void delete(String id) {
        jdbc.sql("delete from messages where id = :id").param("id", id).update();
    }

    private static Message map(ResultSet rs, int row) throws SQLException {
        return new Message(rs.getLong("seq"), rs.getString("id"), rs.getString("conversation_id"),
                rs.getString("role"), rs.getString("content"), MessageStatus.ofDb(rs.getString("status")),
                rs.getString("model"), rs.getString("request_id"), nullableLong(rs, "input_tokens"),
                nullableLong(rs, "cached_input_tokens"), nullableLong(rs, "output_tokens"),
                nullableLong(rs, "cost_micro_usd"), nullableLong(rs, "latency_ms"),
                nullableLong(rs, "time_to_first_token_ms"), rs.getString("finish_reason"),
                rs.getBoolean("history_truncated"), rs.getInt("dropped_messages"), instant(rs, "created_at"),
                instant(rs, "completed_at"), rs.getString("auto_model") == null ? null
                        : new AutoChoice(rs.getString("auto_model"), rs.getString("auto_reason")));
    }

    private static Long nullableLong(ResultSet rs, String column) throws SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? null : value;
    }
}

package dev.chatplatform.chat.conversation;

import dev.chatplatform.kit.web.ApiException;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

/** Conversations of one account: create, list, read, change, delete. */
@Service
class ConversationService {

    private final ConversationRepository conversations;
    private final MessageRepository messages;
    private final ConversationProperties properties;
    private final ConversationEvents events;

    ConversationService(ConversationRepository conversations, MessageRepository messages,
                        ConversationProperties properties, ConversationEvents events) {
        this.conversations = conversations;
        this.messages = messages;
        this.properties = properties;
        this.events = events;
    }

    /** What a create or change asks for; null fields are not set (an empty system prompt clears it). */
    record Changes(String title, String model, String systemPrompt) {
    }

    @Transactional
    Conversation create(String accountId, Changes request) {
        conversations.lockAccount(accountId);
        if (conversations.countByAccount(accountId) >= properties.maxConversationsPerAccount()) {
            throw new ApiException(HttpStatus.CONFLICT, "invalid_request_error", "conversation_limit_reached",
                    "This account already has " + properties.maxConversationsPerAccount()
                            + " conversations, the most it may keep; delete some first.", null);
        }
        Instant now = now();
        Conversation c = new Conversation(newId("conv_"), accountId, request.title(),
                request.model() == null ? properties.defaultModel() : request.model(),
                emptyToNull(request.systemPrompt()), now, now);
        conversations.insert(c);
        events.created(c);
        return c;
    }

    PageResponse<ConversationResponse> list(String accountId, String titleContains, String cursor, int limit) {
        Cursors.ConversationKey after = cursor == null ? null : Cursors.conversation(cursor);
        List<Conversation> rows = conversations.page(accountId, titleContains,
                after == null ? null : after.createdAt(), after == null ? null : after.id(), limit + 1);
        boolean more = rows.size() > limit;
        List<Conversation> page = more ? rows.subList(0, limit) : rows;
        return PageResponse.of(page.stream().map(ConversationResponse::of).toList(),
                more ? Cursors.conversation(page.getLast()) : null);
    }

    Conversation get(String accountId, String id) {
        return conversations.find(accountId, id).orElseThrow(() -> notFound(id));
    }

    PageResponse<MessageResponse> messages(String accountId, String id, String cursor, int limit) {
        get(accountId, id);
        long after = cursor == null ? 0 : Cursors.message(cursor);
        List<Message> rows = messages.page(id, after, limit + 1);
        boolean more = rows.size() > limit;
        List<Message> page = more ? rows.subList(0, limit) : rows;
        return PageResponse.of(page.stream().map(MessageResponse::of).toList(),
                more ? Cursors.message(page.getLast()) : null);
    }

    @Transactional
    Conversation update(String accountId, String id, Changes changes) {
        Conversation c = conversations.lock(accountId, id).orElseThrow(() -> notFound(id));
        Conversation updated = new Conversation(c.id(), c.accountId(),
                changes.title() == null ? c.title() : changes.title(),
                changes.model() == null ? c.model() : changes.model(),
                changes.systemPrompt() == null ? c.systemPrompt() : emptyToNull(changes.systemPrompt()),
                c.createdAt(), now());
        conversations.update(updated);
        events.updated(c, updated);
        return updated;
    }

    /** Deletes the conversation and all its messages for real; a generation still running stops. */
    @Transactional
    void delete(String accountId, String id) {
        String model = conversations.delete(accountId, id).orElseThrow(() -> notFound(id));
        events.deleted(accountId, id, model, now());
    }

    static ApiException notFound(String id) {
        return ApiException.notFound("conversation_not_found", "No conversation '" + id + "' was found.");
    }

    static String newId(String prefix) {
        return prefix + UUID.randomUUID().toString().replace("-", "");
    }

    /** PostgreSQL keeps microseconds: ids, cursors and answers agree when the clock is cut the same way. */
    static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}

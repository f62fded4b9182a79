package dev.chatplatform.chat.conversation;

import dev.chatplatform.kit.web.ApiException;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;

/**
 * Opaque page cursors: base64url of the last row's keyset, with a version tag. Clients pass them back
 * unchanged; anything else is a 400 {@code invalid_cursor}.
 */
final class Cursors {

    record ConversationKey(Instant createdAt, String id) {
    }

    private Cursors() {
    }

    static String conversation(Conversation last) {
        return encode("c1|" + last.createdAt() + "|" + last.id());
    }

    static ConversationKey conversation(String cursor) {
        String[] parts = decode(cursor).split("\\|", 3);
        try {
            if (parts.length == 3 && parts[0].equals("c1") && !parts[2].isEmpty()) {
                return new ConversationKey(Instant.parse(parts[1]), parts[2]);
            }
        } catch (RuntimeException e) {
            // reported below
        }
        throw invalid();
    }

    static String message(Message last) {
        return encode("m1|" + last.seq());
    }

    static long message(String cursor) {
        String[] parts = decode(cursor).split("\\|", 2);
        try {
            if (parts.length == 2 && parts[0].equals("m1")) {
                long seq = Long.parseLong(parts[1]);
                if (seq >= 0) {
                    return seq;
                }
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw invalid();
    }

    private static String encode(String raw) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    private static String decode(String cursor) {
        try {
            return new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw invalid();
        }
    }

    private static ApiException invalid() {
        return ApiException.invalid("invalid_cursor", "Invalid 'cursor': pass back a nextCursor this API returned.",
                "cursor");
    }
}

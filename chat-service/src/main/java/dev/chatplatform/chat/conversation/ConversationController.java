package dev.chatplatform.chat.conversation;

import dev.chatplatform.kit.identity.CallerIdentity;
import dev.chatplatform.kit.identity.Scope;
import dev.chatplatform.kit.web.ApiException;
import dev.chatplatform.kit.web.RequiresScope;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.media.Schema;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

import java.util.Map;
import java.util.Set;

/** {@code /api/v1/conversations}: create, list (newest first), read, rename / change model, delete. */
@RequiresScope(Scope.CHAT)
@RestController
@RequestMapping("/api/v1/conversations")
class ConversationController {

    private static final Set<String> FIELDS = Set.of("title", "model", "systemPrompt");

    private final ConversationService conversations;
    private final ConversationProperties properties;

    ConversationController(ConversationService conversations, ConversationProperties properties) {
        this.conversations = conversations;
        this.properties = properties;
    }

    @PostMapping
    ResponseEntity<ConversationResponse> create(@RequestBody(required = false) JsonNode body, CallerIdentity caller) {
        Conversation c = conversations.create(caller.accountId(), changes(body));
        return ResponseEntity.status(HttpStatus.CREATED).body(ConversationResponse.of(c));
    }

    @Parameter(name = "q", in = ParameterIn.QUERY, description = "Only conversations whose title contains this.",
            schema = @Schema(type = "string"))
    @Parameter(name = "cursor", in = ParameterIn.QUERY, description = "`next_cursor` of the previous page.",
            schema = @Schema(type = "string"))
    @Parameter(name = "limit", in = ParameterIn.QUERY, description = "Page size (1 to 100 by default; 20 when absent).",
            schema = @Schema(type = "integer", minimum = "1"))
    @GetMapping
    PageResponse<ConversationResponse> list(@Parameter(hidden = true) @RequestParam Map<String, String> query, CallerIdentity caller) {
        String q = query.get("q");
        if (q != null && q.length() > properties.maxTitleChars()) {
            throw ApiException.invalid("string_above_max_length", "Invalid 'q': at most " + properties.maxTitleChars()
                    + " characters.", "q");
        }
        return conversations.list(caller.accountId(), q == null || q.isBlank() ? null : q.strip(),
                cursor(query), limit(query));
    }

    @Parameter(name = "cursor", in = ParameterIn.QUERY, description = "`next_cursor` of the previous page.",
            schema = @Schema(type = "string"))
    @Parameter(name = "limit", in = ParameterIn.QUERY, description = "Page size (1 to 100 by default; 20 when absent).",
            schema = @Schema(type = "integer", minimum = "1"))
    @GetMapping("/{id}")
    ConversationDetailResponse get(@PathVariable String id, @Parameter(hidden = true) @RequestParam Map<String, String> query,
                                   CallerIdentity caller) {
        Conversation c = conversations.get(caller.accountId(), id);
        return ConversationDetailResponse.of(c, conversations.messages(caller.accountId(), id, cursor(query), limit(query)));
    }

    @Parameter(name = "cursor", in = ParameterIn.QUERY, description = "`next_cursor` of the previous page.",
            schema = @Schema(type = "string"))
    @Parameter(name = "limit", in = ParameterIn.QUERY, description = "Page size (1 to 100 by default; 20 when absent).",
            schema = @Schema(type = "integer", minimum = "1"))
    @GetMapping("/{id}/messages")
    PageResponse<MessageResponse> messages(@PathVariable String id,
                                           @Parameter(hidden = true) @RequestParam Map<String, String> query,
                                           CallerIdentity caller) {
        return conversations.messages(caller.accountId(), id, cursor(query), limit(query));
    }

    @PatchMapping("/{id}")
    ConversationResponse update(@PathVariable String id, @RequestBody(required = false) JsonNode body,
                                CallerIdentity caller) {
        ConversationService.Changes changes = changes(body);
        if (changes.title() == null && changes.model() == null && changes.systemPrompt() == null) {
            throw ApiException.invalid("missing_required_parameter",
                    "Nothing to change: set at least one of 'title', 'model', 'systemPrompt'.", null);
        }
        return ConversationResponse.of(conversations.update(caller.accountId(), id, changes));
    }

    @DeleteMapping("/{id}")
    ResponseEntity<Void> delete(@PathVariable String id, CallerIdentity caller) {
        conversations.delete(caller.accountId(), id);
        return ResponseEntity.noContent().build();
    }

    private ConversationService.Changes changes(JsonNode body) {
        RequestFields fields = RequestFields.of(body, FIELDS);
        return new ConversationService.Changes(
                fields.string("title", properties.maxTitleChars(), false),
                fields.model("model"),
                fields.string("systemPrompt", properties.maxSystemPromptChars(), true));
    }

    private static String cursor(Map<String, String> query) {
        String cursor = query.get("cursor");
        return cursor == null || cursor.isEmpty() ? null : cursor;
    }

    private int limit(Map<String, String> query) {
        String limit = query.get("limit");
        if (limit == null) {
            return properties.defaultPageSize();
        }
        try {
            int n = Integer.parseInt(limit);
            if (n >= 1 && n <= properties.maxPageSize()) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw ApiException.invalid("invalid_value", "Invalid 'limit': expected an integer between 1 and "
                + properties.maxPageSize() + ", but got '" + limit + "'.", "limit");
    }
}

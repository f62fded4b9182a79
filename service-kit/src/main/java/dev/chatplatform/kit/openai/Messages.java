package dev.chatplatform.kit.openai;

import dev.chatplatform.kit.web.ErrorCode;
import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Reads {@code messages}: roles, content (a string or typed parts), tool calls and tool answers. */
final class Messages {

    private static final Set<String> IMAGE_DETAILS = Set.of("low", "high", "auto");
    private static final Set<String> AUDIO_FORMATS = Set.of("wav", "mp3");

    private Messages() {
    }

    static List<ChatMessage> read(JsonNode messages) {
        if (Checks.absent(messages)) {
            throw Checks.missing("messages");
        }
        if (!messages.isArray()) {
            throw Checks.wrongType("messages", "an array of objects", messages);
        }
        if (messages.isEmpty()) {
            throw Checks.emptyArray("messages");
        }
        List<ChatMessage> read = new ArrayList<>(messages.size());
        for (int i = 0; i < messages.size(); i++) {
            read.add(message(messages.get(i), "messages[" + i + "]"));
        }
        return read;
    }

    private static ChatMessage message(JsonNode message, String param) {
        if (!message.isObject()) {
            throw Checks.wrongType(param, "an object", message);
        }
        JsonNode roleNode = message.get("role");
        if (Checks.absent(roleNode)) {
            throw Checks.missing(param + ".role");
        }
        if (!roleNode.isString()) {
            throw Checks.wrongType(param + ".role", "a string", roleNode);
        }
        String role = roleNode.stringValue();
        if (!ChatCompletionRequest.ROLES.contains(role)) {
            throw Checks.invalid(ErrorCode.INVALID_VALUE, "Invalid value for '" + param + ".role': '" + role
                    + "'. Supported values are: 'developer', 'system', 'user', 'assistant' and 'tool'.", param + ".role");
        }
        List<ToolCallRequest> toolCalls = toolCalls(message.get("tool_calls"), param + ".tool_calls", role);
        JsonNode content = message.get("content");
        List<ContentPart> parts;
        if (Checks.absent(content)) {
            // an assistant turn that only called tools has no content
            if (!role.equals("assistant")) {
                throw Checks.missing(param + ".content");
            }
            parts = List.of();
        } else if (content.isArray()) {
            parts = parts(content, param + ".content", role);
        } else if (content.isString()) {
            parts = List.of(ContentPart.text(content.stringValue()));
        } else {
            throw Checks.wrongType(param + ".content", "a string or an array of content parts", content);
        }
        String toolCallId = null;
        if (role.equals("tool")) {
            toolCallId = Checks.requiredString(message, "tool_call_id", param + ".tool_call_id");
        }
        return new ChatMessage(role, parts, Checks.string(message, "name", param + ".name"), toolCallId, toolCalls);
    }

    private static List<ToolCallRequest> toolCalls(JsonNode calls, String param, String role) {
        if (Checks.absent(calls)) {
            return List.of();
        }
        if (!calls.isArray()) {
            throw Checks.wrongType(param, "an array of tool calls", calls);
        }
        if (!calls.isEmpty() && !role.equals("assistant")) {
            throw Checks.invalid(ErrorCode.INVALID_VALUE, "Invalid '" + param + "': only assistant messages may "
                    + "carry tool calls.", param);
        }
        List<ToolCallRequest> read = new ArrayList<>();
        for (int i = 0; i < calls.size(); i++) {
            String at = param + "[" + i + "]";
            JsonNode call = calls.get(i);
            if (!call.isObject()) {
                throw Checks.wrongType(at, "an object", call);
            }
            JsonNode function = call.get("function");
            if (Checks.absent(function)) {
                throw Checks.missing(at + ".function");
            }
            if (!function.isObject()) {
                throw Checks.wrongType(at + ".function", "an object", function);
            }
            read.add(new ToolCallRequest(Checks.requiredString(call, "id", at + ".id"),
                    Checks.requiredString(function, "name", at + ".function.name"),
                    Checks.requiredString(function, "arguments", at + ".function.arguments")));
        }
        return read;
    }

    private static List<ContentPart> parts(JsonNode parts, String param, String role) {
        if (parts.isEmpty()) {
            throw Checks.emptyArray(param);
        }
        List<ContentPart> read = new ArrayList<>(parts.size());
        for (int j = 0; j < parts.size(); j++) {
            JsonNode part = parts.get(j);
            String at = param + "[" + j + "]";
            if (!part.isObject()) {
                throw Checks.wrongType(at, "an object", part);
            }
            String type = Checks.requiredString(part, "type", at + ".type");
            ContentPart.Kind kind = kind(type, at + ".type");
            if (kind != ContentPart.Kind.TEXT && !role.equals("user")) {
                throw Checks.invalid(ErrorCode.INVALID_VALUE, "Invalid value for '" + at + ".type': '" + type
                        + "' parts are only allowed in user messages.", at + ".type");
            }
            read.add(switch (kind) {
                case TEXT -> {
                    JsonNode text = part.get("text");
                    if (Checks.absent(text)) {
                        throw Checks.missing(at + ".text");
                    }
                    if (!text.isString()) {
                        throw Checks.wrongType(at + ".text", "a string", text);
                    }
                    yield ContentPart.text(text.stringValue());
                }
                case IMAGE -> {
                    JsonNode image = object(part, "image_url", at);
                    String detail = Checks.string(image, "detail", at + ".image_url.detail");
                    if (detail != null && !IMAGE_DETAILS.contains(detail)) {
                        throw Checks.invalid(ErrorCode.INVALID_VALUE, "Invalid value for '" + at + ".image_url.detail': '"
                                + detail + "'. Supported values are: 'low', 'high' and 'auto'.", at + ".image_url.detail");
                    }
                    yield new ContentPart(kind, null, Checks.requiredString(image, "url", at + ".image_url.url"),
                            detail == null ? "auto" : detail, null);
                }
                case FILE -> {
                    JsonNode file = object(part, "file", at);
                    String data = Checks.string(file, "file_data", at + ".file.file_data");
                    String id = Checks.string(file, "file_id", at + ".file.file_id");
                    if ((data == null || data.isBlank()) && (id == null || id.isBlank())) {
                        throw Checks.missing(at + ".file.file_data");
                    }
                    yield new ContentPart(kind, null, data, id, Checks.string(file, "filename", at + ".file.filename"));
                }
                case AUDIO -> {
                    JsonNode audio = object(part, "input_audio", at);
                    String format = Checks.requiredString(audio, "format", at + ".input_audio.format");
                    if (!AUDIO_FORMATS.contains(format)) {
                        throw Checks.invalid(ErrorCode.INVALID_VALUE, "Invalid value for '" + at + ".input_audio.format': '"
                                + format + "'. Supported values are: 'wav' and 'mp3'.", at + ".input_audio.format");
                    }
                    yield new ContentPart(kind, null, Checks.requiredString(audio, "data", at + ".input_audio.data"),
                            format, null);
                }
            });
        }
        return read;
    }

    private static ContentPart.Kind kind(String type, String param) {
        for (ContentPart.Kind kind : ContentPart.Kind.values()) {
            if (kind.wireType().equals(type)) {
                return kind;
            }
        }
        throw Checks.invalid(ErrorCode.INVALID_VALUE, "Invalid value for '" + param + "': '" + type
                + "'. Supported values are: 'text', 'image_url', 'file' and 'input_audio'.", param);
    }

    private static JsonNode object(JsonNode part, String field, String at) {
        JsonNode value = part.get(field);
        if (Checks.absent(value)) {
            throw Checks.missing(at + "." + field);
        }
        if (!value.isObject()) {
            throw Checks.wrongType(at + "." + field, "an object", value);
        }
        return value;
    }
}

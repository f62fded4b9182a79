package dev.chatplatform.kit.openai;

import dev.chatplatform.kit.web.ErrorCode;
import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Reads {@code tools} and {@code tool_choice}. */
final class Tools {

    private static final Set<String> CHOICES = Set.of("auto", "none", "required");

    private Tools() {
    }

    /** {@code [{"type":"function","function":{"name","description","parameters"}}]}. */
    static List<FunctionTool> definitions(JsonNode tools) {
        if (Checks.absent(tools)) {
            return List.of();
        }
        if (!tools.isArray()) {
            throw Checks.wrongType("tools", "an array of tools", tools);
        }
        List<FunctionTool> read = new ArrayList<>();
        for (int i = 0; i < tools.size(); i++) {
            String at = "tools[" + i + "]";
            JsonNode tool = tools.get(i);
            if (!tool.isObject()) {
                throw Checks.wrongType(at, "an object", tool);
            }
            String type = Checks.requiredString(tool, "type", at + ".type");
            if (!type.equals("function")) {
                throw Checks.invalid(ErrorCode.INVALID_VALUE, "Invalid value for '" + at + ".type': '" + type
                        + "'. Supported values are: 'function'.", at + ".type");
            }
            JsonNode function = tool.get("function");
            if (Checks.absent(function)) {
                throw Checks.missing(at + ".function");
            }
            if (!function.isObject()) {
                throw Checks.wrongType(at + ".function", "an object", function);
            }
            String name = Checks.requiredString(function, "name", at + ".function.name");
            JsonNode parameters = function.get("parameters");
            if (!Checks.absent(parameters) && !parameters.isObject()) {
                throw Checks.wrongType(at + ".function.parameters", "a JSON Schema object", parameters);
            }
            read.add(new FunctionTool(name, Checks.string(function, "description", at + ".function.description"),
                    Checks.absent(parameters) ? null : parameters));
        }
        return read;
    }

    /** {@code auto}, {@code none}, {@code required}, the name of one of {@code tools}, or null when not set. */
    static String choice(JsonNode choice, List<FunctionTool> tools) {
        if (Checks.absent(choice)) {
            return null;
        }
        if (choice.isString()) {
            if (!CHOICES.contains(choice.stringValue())) {
                throw Checks.invalid(ErrorCode.INVALID_VALUE, "Invalid value for 'tool_choice': '" + choice.stringValue()
                        + "'. Supported values are: 'auto', 'none', 'required' or a named function.", "tool_choice");
            }
            return choice.stringValue();
        }
        if (!choice.isObject()) {
            throw Checks.wrongType("tool_choice", "a string or an object", choice);
        }
        JsonNode function = choice.get("function");
        if (Checks.absent(function) || !function.isObject()) {
            throw Checks.missing("tool_choice.function");
        }
        String name = Checks.requiredString(function, "name", "tool_choice.function.name");
        if (tools.stream().noneMatch(t -> t.name().equals(name))) {
            throw Checks.invalid(ErrorCode.INVALID_VALUE, "Invalid value for 'tool_choice.function.name': '" + name
                    + "' is not one of the functions in 'tools'.", "tool_choice.function.name");
        }
        return name;
    }
}

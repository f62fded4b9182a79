package dev.chatplatform.provider.simulated;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

import java.util.Iterator;

/**
 * The simulated model's JSON: a value conforming to a simple JSON Schema, filled from the answer's seed. It follows
 * {@code type} (one or a list: the first that is not {@code null}), {@code properties} (every one is written),
 * {@code items} with {@code minItems}/{@code maxItems}, {@code enum}, {@code const}, the first of
 * {@code anyOf}/{@code oneOf}, {@code minimum}/{@code maximum} and {@code minLength}; what it does not read
 * ({@code $ref}, {@code pattern}, {@code format}...) it answers with a short string. Without a schema (or for
 * {@code json_object}) the answer is {@code {"answer":"<the simulated text>"}}.
 */
final class SimulatedJson {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int MAX_DEPTH = 8;

    private SimulatedJson() {
    }

    static String answer(JsonNode schema, long seed, String text) {
        if (schema == null || schema.isEmpty()) {
            ObjectNode answer = NODES.objectNode();
            answer.put("answer", text);
            return JSON.writeValueAsString(answer);
        }
        return JSON.writeValueAsString(value(schema, new SimulatedText.SplitMix64(seed), 0));
    }

    static JsonNode value(JsonNode schema, SimulatedText.SplitMix64 random, int depth) {
        if (schema.has("const")) {
            return schema.get("const");
        }
        if (schema.path("enum").isArray() && !schema.path("enum").isEmpty()) {
            return schema.get("enum").get(random.nextInt(schema.get("enum").size()));
        }
        for (String choice : new String[]{"anyOf", "oneOf", "allOf"}) {
            if (schema.path(choice).isArray() && !schema.path(choice).isEmpty()) {
                return value(schema.get(choice).get(0), random, depth);
            }
        }
        String type = type(schema);
        if (depth >= MAX_DEPTH && ("object".equals(type) || "array".equals(type))) {
            return "object".equals(type) ? NODES.objectNode() : NODES.arrayNode();
        }
        return switch (type) {
            case "object" -> {
                ObjectNode object = NODES.objectNode();
                Iterator<String> names = schema.path("properties").propertyNames().iterator();
                while (names.hasNext()) {
                    String name = names.next();
                    object.set(name, value(schema.path("properties").path(name), random, depth + 1));
                }
                yield object;
            }
            case "array" -> {
                int min = schema.path("minItems").asInt(1);
                int max = schema.path("maxItems").asInt(Math.max(min, 3));
                int count = min + random.nextInt(Math.max(1, max - min + 1));
                ArrayNode array = NODES.arrayNode();
                for (int i = 0; i < count; i++) {
                    array.add(value(schema.path("items"), random, depth + 1));
                }
                yield array;
            }
            case "integer" -> {
                long min = schema.path("minimum").asLong(0);
                long max = schema.path("maximum").asLong(Math.max(min, 0) + 100);
                yield NODES.numberNode(min + Long.remainderUnsigned(random.nextLong(), Math.max(1, max - min + 1)));
            }
            case "number" -> {
                double min = schema.path("minimum").asDouble(0);
                double max = schema.path("maximum").asDouble(min + 100);
                yield NODES.numberNode(Math.round((min + (max - min) * random.nextInt(10_001) / 10_000.0) * 100) / 100.0);
            }
            case "boolean" -> NODES.booleanNode(random.nextInt(2) == 1);
            case "null" -> NODES.nullNode();
            default -> {
                String words = SimulatedText.words(random, 2 + random.nextInt(4));
                int minLength = schema.path("minLength").asInt(0);
                while (words.length() < minLength) {
                    words = words + " " + SimulatedText.words(random, 1);
                }
                int maxLength = schema.path("maxLength").asInt(Integer.MAX_VALUE);
                yield NODES.stringNode(words.length() > maxLength ? words.substring(0, maxLength) : words);
            }
        };
    }

    /** The schema's type: the first non-null one of a list; {@code object} when it lists properties; else string. */
    private static String type(JsonNode schema) {
        JsonNode type = schema.get("type");
        if (type != null && type.isString()) {
            return type.stringValue();
        }
        if (type != null && type.isArray()) {
            for (JsonNode t : type) {
                if (t.isString() && !"null".equals(t.stringValue())) {
                    return t.stringValue();
                }
            }
            return "null";
        }
        return schema.has("properties") ? "object" : "string";
    }
}

package dev.chatplatform.kit.web;

import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.databind.BeanDescription;
import tools.jackson.databind.DeserializationConfig;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.KeyDeserializer;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.deser.Deserializers;
import tools.jackson.databind.deser.ValueDeserializerModifier;
import tools.jackson.databind.deser.jackson.JsonNodeDeserializer;
import tools.jackson.databind.deser.std.DelegatingDeserializer;
import tools.jackson.databind.module.SimpleModule;

import java.util.List;
import java.util.Map;

/**
 * Refuses {@link TextChecks unstorable text} wherever a request body can carry it: {@code String} values (also
 * inside lists, arrays and maps), map keys, untyped values ({@code Object}, {@code Map<String, Object>}) and
 * {@link JsonNode} trees (every string and property name in them). The failure is an {@link
 * InvalidCharactersException} whose path names the field, e.g. {@code messages[1].content}. Installed on the
 * request side of the MVC JSON converter only: what the services read from each other or from model
 * providers is not a request.
 */
class TextCheckingModule extends SimpleModule {

    TextCheckingModule() {
        super("platform-text-checks");
        setDeserializerModifier(new ValueDeserializerModifier() {
            @Override
            public ValueDeserializer<?> modifyDeserializer(DeserializationConfig config, BeanDescription.Supplier bean,
                                                           ValueDeserializer<?> deserializer) {
                Class<?> type = bean.getBeanClass();
                return type == String.class || type == Object.class ? new Checked(deserializer) : deserializer;
            }

            @Override
            public KeyDeserializer modifyKeyDeserializer(DeserializationConfig config, JavaType type,
                                                         KeyDeserializer deserializer) {
                return type.getRawClass() == String.class ? new CheckedKey(deserializer) : deserializer;
            }
        });
    }

    @Override
    public void setupModule(SetupContext context) {
        super.setupModule(context);
        context.addDeserializers(new Deserializers.Base() {
            @Override
            public ValueDeserializer<?> findTreeNodeDeserializer(JavaType nodeType, DeserializationConfig config,
                                                                 BeanDescription.Supplier bean) {
                return new Checked(JsonNodeDeserializer.getDeserializer(nodeType.getRawClass()));
            }

            @Override
            public boolean hasDeserializerFor(DeserializationConfig config, Class<?> valueType) {
                return JsonNode.class.isAssignableFrom(valueType);
            }
        });
    }

    /** Deserializes as its delegate, then checks every string in the result. */
    private static final class Checked extends DelegatingDeserializer {

        Checked(ValueDeserializer<?> delegate) {
            super(delegate);
        }

        @Override
        protected ValueDeserializer<?> newDelegatingInstance(ValueDeserializer<?> delegate) {
            return new Checked(delegate);
        }

        @Override
        public Object deserialize(JsonParser p, DeserializationContext ctxt) throws JacksonException {
            return check(p, super.deserialize(p, ctxt));
        }

        @Override
        public Object deserialize(JsonParser p, DeserializationContext ctxt, Object into) throws JacksonException {
            return check(p, super.deserialize(p, ctxt, into));
        }
    }

    private static final class CheckedKey extends KeyDeserializer {

        private final KeyDeserializer delegate;

        CheckedKey(KeyDeserializer delegate) {
            this.delegate = delegate;
        }

        @Override
        public Object deserializeKey(String key, DeserializationContext ctxt) throws JacksonException {
            String problem = key == null ? null : TextChecks.problem(key);
            if (problem != null) {
                throw new InvalidCharactersException(ctxt.getParser(), "a property name " + problem);
            }
            return delegate == null ? key : delegate.deserializeKey(key, ctxt);
        }
    }

    /** {@code value} when all its strings pass, else the failure at the first that does not, with its path. */
    private static Object check(JsonParser p, Object value) {
        InvalidCharactersException failure = find(p, value);
        if (failure != null) {
            throw failure;
        }
        return value;
    }

    private static InvalidCharactersException find(JsonParser p, Object value) {
        switch (value) {
            case null -> {
                return null;
            }
            case CharSequence text -> {
                String problem = TextChecks.problem(text);
                return problem == null ? null : new InvalidCharactersException(p, problem);
            }
            case JsonNode node when node.isString() -> {
                return find(p, node.stringValue());
            }
            case JsonNode node when node.isArray() -> {
                for (int i = 0; i < node.size(); i++) {
                    InvalidCharactersException failure = find(p, node.get(i));
                    if (failure != null) {
                        failure.prependPath(node, i);
                        return failure;
                    }
                }
                return null;
            }
            case JsonNode node when node.isObject() -> {
                for (Map.Entry<String, JsonNode> e : node.properties()) {
                    InvalidCharactersException failure = propertyName(p, e.getKey());
                    if (failure == null) {
                        failure = find(p, e.getValue());
                    }
                    if (failure != null) {
                        failure.prependPath(node, TextChecks.printable(e.getKey()));
                        return failure;
                    }
                }
                return null;
            }
            case List<?> list -> {
                for (int i = 0; i < list.size(); i++) {
                    InvalidCharactersException failure = find(p, list.get(i));
                    if (failure != null) {
                        failure.prependPath(list, i);
                        return failure;
                    }
                }
                return null;
            }
            case Map<?, ?> map -> {
                for (Map.Entry<?, ?> e : map.entrySet()) {
                    String key = String.valueOf(e.getKey());
                    InvalidCharactersException failure = propertyName(p, key);
                    if (failure == null) {
                        failure = find(p, e.getValue());
                    }
                    if (failure != null) {
                        failure.prependPath(map, TextChecks.printable(key));
                        return failure;
                    }
                }
                return null;
            }
            default -> {
                return null;
            }
        }
    }

    private static InvalidCharactersException propertyName(JsonParser p, String name) {
        String problem = TextChecks.problem(name);
        return problem == null ? null : new InvalidCharactersException(p, "the property name " + problem);
    }
}

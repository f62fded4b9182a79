package dev.chatplatform.provider.catalog;

import java.util.List;
import java.util.Locale;

/**
 * What a model does: answers chats, or turns text into vectors. A model is an embedding model when its
 * capabilities hold {@code embeddings}; every other model is a chat model. Each endpoint serves one kind and
 * refuses the other with a 400 naming {@code model}.
 */
public enum ModelKind {
    CHAT,
    EMBEDDING;

    /** The capability that makes a model an embedding model. */
    public static final String EMBEDDINGS_CAPABILITY = "embeddings";

    static ModelKind of(List<String> capabilities) {
        return capabilities.contains(EMBEDDINGS_CAPABILITY) ? EMBEDDING : CHAT;
    }

    /** As in {@code /v1/models}: {@code chat} or {@code embedding}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}

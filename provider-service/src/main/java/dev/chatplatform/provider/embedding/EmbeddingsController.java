package dev.chatplatform.provider.embedding;

import dev.chatplatform.kit.identity.CallerIdentity;
import dev.chatplatform.kit.identity.Scope;
import dev.chatplatform.kit.openai.EmbeddingsRequest;
import dev.chatplatform.kit.openapi.RetryLater;
import dev.chatplatform.kit.web.RequiresScope;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/** OpenAI's {@code POST /v1/embeddings}, answered with {@code x_platform} for chat-service to meter. */
@RequiresScope(Scope.CHAT)
@RestController
class EmbeddingsController {

    private final EmbeddingService embeddings;

    EmbeddingsController(EmbeddingService embeddings) {
        this.embeddings = embeddings;
    }

    @RetryLater
    @PostMapping("/v1/embeddings")
    EmbeddingsResponse embed(@RequestBody JsonNode body, CallerIdentity caller) {
        return embeddings.embed(EmbeddingsRequest.parse(body), caller);
    }
}

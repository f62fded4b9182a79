package dev.chatplatform.chat.embedding;

import dev.chatplatform.kit.identity.CallerIdentity;
import dev.chatplatform.kit.identity.Scope;
import dev.chatplatform.kit.openai.EmbeddingsRequest;
import dev.chatplatform.kit.openapi.RetryLater;
import dev.chatplatform.kit.web.RequestIds;
import dev.chatplatform.kit.web.RequiresScope;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/** OpenAI's {@code POST /v1/embeddings}. */
@RequiresScope(Scope.CHAT)
@RestController
class EmbeddingsController {

    private final EmbeddingsService embeddings;

    EmbeddingsController(EmbeddingsService embeddings) {
        this.embeddings = embeddings;
    }

    @RetryLater
    @PostMapping("/v1/embeddings")
    ResponseEntity<byte[]> embed(@RequestBody JsonNode body, CallerIdentity caller, HttpServletRequest request) {
        long started = System.nanoTime();
        EmbeddingsRequest embeddingsRequest = EmbeddingsRequest.parse(body);
        byte[] answer = embeddings.embed(embeddingsRequest, body, caller,
                (String) request.getAttribute(RequestIds.MDC_KEY), started);
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(answer);
    }
}

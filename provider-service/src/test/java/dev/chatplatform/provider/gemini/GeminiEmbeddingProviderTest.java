package dev.chatplatform.provider.gemini;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.chatplatform.provider.embedding.EmbeddingProvider;
import dev.chatplatform.provider.upstream.Recording;
import dev.chatplatform.provider.upstream.Tokenizer;
import dev.chatplatform.provider.upstream.UpstreamException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Gemini's {@code batchEmbedContents} wire format, served by a local stub. */
class GeminiEmbeddingProviderTest {

    @RegisterExtension
    static WireMockExtension stub = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private static final String BATCH = "/v1beta/models/text-embedding-004:batchEmbedContents";

    private EmbeddingProvider provider() {
        return new GeminiConfig().geminiEmbeddings(Recording.properties(stub.baseUrl()), new Tokenizer());
    }

    @Test
    void sendsOneContentPerInputAndCountsTheTokensItself() {
        // Gemini's documented answer: one {"values":[...]} per request, in order; no token counts
        stub.stubFor(post(urlPathEqualTo(BATCH)).willReturn(okJson("""
                {"embeddings":[{"values":[0.25,0.5,0.75,1.0]},{"values":[-1.0,0.0,0.0,0.0]}]}""")));

        EmbeddingProvider.Embeddings result = provider().embed("text-embedding-004", List.of("hello world", "bye"), 4);

        assertThat(result.vectors()).hasSize(2);
        assertThat(result.vectors().get(0)).containsExactly(0.25f, 0.5f, 0.75f, 1.0f);
        assertThat(result.vectors().get(1)).containsExactly(-1.0f, 0.0f, 0.0f, 0.0f);
        assertThat(result.promptTokens()).isEqualTo(2 + 1);
        assertThat(result.estimated()).isTrue();
        stub.verify(postRequestedFor(urlPathEqualTo(BATCH))
                .withHeader("x-goog-api-key", equalTo("test-key"))
                .withRequestBody(equalToJson("""
                        {"requests":[
                          {"model":"models/text-embedding-004","content":{"parts":[{"text":"hello world"}]},"outputDimensionality":4},
                          {"model":"models/text-embedding-004","content":{"parts":[{"text":"bye"}]},"outputDimensionality":4}]}""",
                        true, true)));
    }

    @Test
    void aServerErrorIsRetryableElsewhere() {
        stub.stubFor(post(urlPathEqualTo(BATCH)).willReturn(aResponse().withStatus(503)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"error\":{\"code\":503,\"message\":\"overloaded\",\"status\":\"UNAVAILABLE\"}}")));

        assertThatThrownBy(() -> provider().embed("text-embedding-004", List.of("x"), null))
                .isInstanceOfSatisfying(UpstreamException.class, e -> {
                    assertThat(e.status()).isEqualTo(503);
                    assertThat(e.retryable()).isTrue();
                });
    }
}

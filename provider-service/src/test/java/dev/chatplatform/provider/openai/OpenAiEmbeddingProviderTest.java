package dev.chatplatform.provider.openai;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.chatplatform.provider.embedding.EmbeddingProvider;
import dev.chatplatform.provider.upstream.Recording;
import dev.chatplatform.provider.upstream.UpstreamException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** OpenAI's {@code POST /v1/embeddings} wire format (also spoken by OpenAI-compatible servers), served by a local stub. */
class OpenAiEmbeddingProviderTest {

    @RegisterExtension
    static WireMockExtension stub = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private EmbeddingProvider provider(String name) {
        var properties = Recording.properties(stub.baseUrl() + "/v1");
        return new OpenAiEmbeddingProvider(name, OpenAiConfig.client(properties.openai(), null, properties.timeouts()));
    }

    @Test
    void sendsTheTextsAndReadsTheVectorsInIndexOrderWithTheReportedTokens() {
        // OpenAI's documented answer shape; data deliberately out of order to check that index decides
        stub.stubFor(post(urlEqualTo("/v1/embeddings")).willReturn(okJson("""
                {"object":"list","model":"text-embedding-3-small",
                 "data":[{"object":"embedding","index":1,"embedding":[0.5,-0.5,0.0]},
                         {"object":"embedding","index":0,"embedding":[0.1,0.2,0.3]}],
                 "usage":{"prompt_tokens":9,"total_tokens":9}}""")));

        EmbeddingProvider.Embeddings result = provider("openai").embed("text-embedding-3-small",
                List.of("first text", "second text"), 3);

        assertThat(result.vectors()).hasSize(2);
        assertThat(result.vectors().get(0)).containsExactly(0.1f, 0.2f, 0.3f);
        assertThat(result.vectors().get(1)).containsExactly(0.5f, -0.5f, 0.0f);
        assertThat(result.promptTokens()).isEqualTo(9);
        assertThat(result.estimated()).isFalse();
        stub.verify(postRequestedFor(urlEqualTo("/v1/embeddings"))
                .withHeader("Authorization", equalTo("Bearer test-key"))
                .withRequestBody(equalToJson("""
                        {"model":"text-embedding-3-small","input":["first text","second text"],
                         "encoding_format":"float","dimensions":3}""")));
    }

    @Test
    void dimensionsAreLeftOutWhenTheCallerGaveNone() {
        stub.stubFor(post(urlEqualTo("/v1/embeddings")).willReturn(okJson("""
                {"object":"list","model":"nomic-embed-text","data":[{"object":"embedding","index":0,"embedding":[1.0]}],
                 "usage":{"prompt_tokens":2,"total_tokens":2}}""")));

        provider("openai-compatible").embed("nomic-embed-text", List.of("hi"), null);

        stub.verify(postRequestedFor(urlEqualTo("/v1/embeddings"))
                .withRequestBody(matchingJsonPath("$.dimensions", absent())));
    }

    @Test
    void aRefusalBecomesAnUpstreamExceptionWithItsStatus() {
        stub.stubFor(post(urlEqualTo("/v1/embeddings")).willReturn(aResponse().withStatus(429)
                .withHeader("Content-Type", "application/json").withHeader("Retry-After", "3")
                .withBody("{\"error\":{\"message\":\"slow down\",\"type\":\"rate_limit_error\"}}")));

        assertThatThrownBy(() -> provider("openai").embed("text-embedding-3-small", List.of("x"), null))
                .isInstanceOfSatisfying(UpstreamException.class, e -> {
                    assertThat(e.status()).isEqualTo(429);
                    assertThat(e.errorClass()).isEqualTo("rate_limited");
                    assertThat(e.retryable()).isTrue();
                    assertThat(e.retryAfter()).hasValue(java.time.Duration.ofSeconds(3));
                });
    }
}

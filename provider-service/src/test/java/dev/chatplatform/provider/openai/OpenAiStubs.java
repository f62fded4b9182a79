package dev.chatplatform.provider.openai;

import dev.chatplatform.provider.upstream.ChatProvider;
import dev.chatplatform.provider.upstream.Recording;
import dev.chatplatform.provider.upstream.Tokenizer;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;

/** The OpenAI adapter pointed at a stub, and the stub's wire format, for tests of other packages. */
public final class OpenAiStubs {

    private static final Tokenizer TOKENIZER = new Tokenizer();

    private OpenAiStubs() {
    }

    /** An OpenAI-protocol provider named {@code name} whose API root is {@code baseUrl} (e.g. stub + "/a/v1"). */
    public static ChatProvider provider(String name, String baseUrl) {
        var properties = Recording.properties(baseUrl);
        return new OpenAiChatProvider(name, OpenAiConfig.client(properties.openai(), null, properties.timeouts()), TOKENIZER);
    }

    public static String chunk(String delta, String finishReason) {
        return OpenAiChatProviderTest.chunk(delta, finishReason);
    }

    public static String usageChunk(int prompt, int completion) {
        return "{\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\",\"choices\":[],"
                + "\"usage\":{\"prompt_tokens\":" + prompt + ",\"completion_tokens\":" + completion + ",\"total_tokens\":"
                + (prompt + completion) + ",\"prompt_tokens_details\":{\"cached_tokens\":0}}}";
    }

    public static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder sse(String... events) {
        return OpenAiChatProviderTest.sse(events);
    }

    public static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder answer(String content, int prompt,
                                                                                        int completion) {
        return aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody("""
                {"id":"chatcmpl-1","object":"chat.completion","created":1,"model":"m",
                 "choices":[{"index":0,"message":{"role":"assistant","content":"%s"},"finish_reason":"stop"}],
                 "usage":{"prompt_tokens":%d,"completion_tokens":%d,"total_tokens":%d}}""".formatted(content, prompt,
                completion, prompt + completion));
    }

    public static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder error(int status) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/json")
                .withBody("{\"error\":{\"message\":\"failure " + status + "\",\"type\":\"server_error\"}}");
    }
}

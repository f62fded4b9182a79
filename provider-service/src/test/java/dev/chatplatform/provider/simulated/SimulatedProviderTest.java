package dev.chatplatform.provider.simulated;

import dev.chatplatform.kit.openai.ContentPart;
import dev.chatplatform.kit.openai.ResponseFormat;
import dev.chatplatform.provider.upstream.Generation;
import dev.chatplatform.provider.upstream.GenerationObserver;
import dev.chatplatform.provider.upstream.ProviderMessage;
import dev.chatplatform.provider.upstream.ProviderRequest;
import dev.chatplatform.provider.upstream.TokenUsage;
import dev.chatplatform.provider.upstream.Recording;
import dev.chatplatform.provider.upstream.Tokenizer;
import dev.chatplatform.provider.upstream.ToolCall;
import dev.chatplatform.provider.upstream.ToolCallDelta;
import dev.chatplatform.provider.upstream.ToolDefinition;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SimulatedProviderTest {

    private static final Tokenizer TOKENIZER = new Tokenizer();
    private final SimulatedProvider provider = new SimulatedProvider(TOKENIZER, new SimulatedProperties(Duration.ZERO, 0));

    @Test
    void theSameConversationGetsTheSameAnswerAndCounts() throws IOException {
        Generation first = provider.generate(request("sim-1", "What is a token?", 1000), GenerationObserver.IGNORE);
        Generation again = new SimulatedProvider(new Tokenizer(), new SimulatedProperties(Duration.ZERO, 0))
                .generate(request("sim-1", "What is a token?", 1000), GenerationObserver.IGNORE);

        assertThat(again).isEqualTo(first);
        assertThat(first.finishReason()).isEqualTo("stop");
        assertThat(first.usage().completionTokens()).isEqualTo(TOKENIZER.count(first.content()));
        assertThat(first.usage().promptTokens())
                .isEqualTo(TOKENIZER.countPrompt(List.of(ProviderMessage.of("user", "What is a token?"))));
        assertThat(first.usage().estimated()).isFalse();
    }

    @Test
    void anotherConversationOrModelGetsAnotherAnswer() throws IOException {
        String a = provider.generate(request("sim-1", "What is a token?", 1000), GenerationObserver.IGNORE).content();
        String b = provider.generate(request("sim-1", "What is a stream?", 1000), GenerationObserver.IGNORE).content();
        String c = provider.generate(request("sim-1-mini", "What is a token?", 1000), GenerationObserver.IGNORE).content();
        assertThat(a).isNotEqualTo(b).isNotEqualTo(c);
    }

    @Test
    void answersReadLikeSentencesOfTwentyToAHundredTwentyTokens() throws IOException {
        for (int i = 0; i < 200; i++) {
            Generation g = provider.generate(request("sim-1", "question " + i, 1000), GenerationObserver.IGNORE);
            assertThat(g.usage().completionTokens()).isBetween(SimulatedText.MIN_TOKENS, SimulatedText.MAX_TOKENS);
            assertThat(g.content()).matches("[A-Z][a-z ,.A-Z]*\\.");
        }
    }

    @Test
    void maxTokensCutsTheAnswerWithFinishReasonLength() throws IOException {
        Generation full = provider.generate(request("sim-1", "Tell me more", 1000), GenerationObserver.IGNORE);
        Generation cut = provider.generate(request("sim-1", "Tell me more", 5), GenerationObserver.IGNORE);

        assertThat(cut.usage().completionTokens()).isEqualTo(5);
        assertThat(cut.finishReason()).isEqualTo("length");
        assertThat(full.content()).startsWith(cut.content());
        assertThat(cut.content()).isNotEqualTo(full.content());
    }

    @Test
    void aStopSequenceEndsTheAnswerBeforeIt() throws IOException {
        String full = provider.generate(request("sim-1", "Tell me more", 1000), GenerationObserver.IGNORE).content();
        String stopAt = full.substring(full.indexOf(' ') + 1, full.indexOf(' ') + 4);
        var withStop = new ProviderRequest("sim-1", List.of(ProviderMessage.of("user", "Tell me more")), 1000,
                List.of(stopAt), null, null);

        Generation stopped = provider.generate(withStop, GenerationObserver.IGNORE);

        assertThat(stopped.content()).isEqualTo(full.substring(0, full.indexOf(stopAt)));
        assertThat(stopped.finishReason()).isEqualTo("stop");
    }

    @Test
    void streamsOneTokenAtATimeWithCumulativeUsage() throws IOException {
        List<String> pieces = new ArrayList<>();
        List<TokenUsage> usages = new ArrayList<>();
        Generation g = provider.generate(request("sim-1", "Stream it", 1000), new GenerationObserver() {
            @Override
            public void started(TokenUsage usage) {
                usages.add(usage);
            }

            @Override
            public void delta(String content, TokenUsage usageSoFar) {
                pieces.add(content);
                usages.add(usageSoFar);
            }
        });

        assertThat(String.join("", pieces)).isEqualTo(g.content());
        assertThat(pieces).hasSize(g.usage().completionTokens());
        for (int i = 0; i < usages.size(); i++) {
            assertThat(usages.get(i).completionTokens()).isEqualTo(i);
        }
    }

    @Test
    void stopsGeneratingWhenTheReceiverIsGone() {
        List<String> pieces = new ArrayList<>();
        assertThatThrownBy(() -> provider.generate(request("sim-1", "Stream it", 1000), new GenerationObserver() {
            @Override
            public void started(TokenUsage usage) {
            }

            @Override
            public void delta(String content, TokenUsage usageSoFar) throws IOException {
                pieces.add(content);
                if (pieces.size() == 3) {
                    throw new IOException("client went away");
                }
            }
        })).isInstanceOf(IOException.class);
        assertThat(pieces).hasSize(3);
    }

    @Test
    void honoursTheConfiguredPace() throws IOException {
        var paced = new SimulatedProvider(TOKENIZER, new SimulatedProperties(Duration.ofMillis(100), 200));
        long start = System.nanoTime();
        Generation g = paced.generate(request("sim-1", "Pace me", 10), GenerationObserver.IGNORE);
        long elapsedMillis = (System.nanoTime() - start) / 1_000_000;

        assertThat(g.usage().completionTokens()).isEqualTo(10);
        // 100 ms to the first token, then 9 more at 5 ms each
        assertThat(elapsedMillis).isGreaterThanOrEqualTo(145);
    }

    @Test
    void jsonObjectModeAnswersAJsonObject() throws IOException {
        Generation g = provider.generate(withOptions("Give me JSON", List.of(), null,
                new ProviderRequest.Options(new ResponseFormat(ResponseFormat.Type.JSON_OBJECT, null, null, false), null, null)),
                GenerationObserver.IGNORE);

        JsonNode answer = JSON.readTree(g.content());
        assertThat(answer.isObject()).isTrue();
        assertThat(answer.get("answer").isString()).isTrue();
        assertThat(g.usage().completionTokens()).isEqualTo(TOKENIZER.count(g.content()));
    }

    @Test
    void jsonSchemaModeAnswersJsonThatConformsToTheSchema() throws IOException {
        JsonNode schema = JSON.readTree("""
                {"type":"object","properties":{
                   "city":{"type":"string","minLength":3},
                   "population":{"type":"integer","minimum":1000,"maximum":5000},
                   "score":{"type":"number","minimum":0,"maximum":1},
                   "capital":{"type":"boolean"},
                   "tags":{"type":"array","items":{"type":"string"},"minItems":2,"maxItems":4},
                   "kind":{"enum":["city","town"]},
                   "mayor":{"type":["object","null"],"properties":{"name":{"type":"string"}}}},
                 "required":["city","population","score","capital","tags","kind","mayor"],"additionalProperties":false}""");
        for (int i = 0; i < 20; i++) {
            Generation g = provider.generate(withOptions("City " + i, List.of(), null, new ProviderRequest.Options(
                    new ResponseFormat(ResponseFormat.Type.JSON_SCHEMA, "city", schema, true), null, null)),
                    GenerationObserver.IGNORE);

            JsonNode answer = JSON.readTree(g.content());
            assertThat(answer.propertyNames()).containsExactlyInAnyOrder("city", "population", "score", "capital", "tags",
                    "kind", "mayor");
            assertThat(answer.get("city").isString()).isTrue();
            assertThat(answer.get("city").stringValue().length()).isGreaterThanOrEqualTo(3);
            assertThat(answer.get("population").isIntegralNumber()).isTrue();
            assertThat(answer.get("population").asLong()).isBetween(1000L, 5000L);
            assertThat(answer.get("score").asDouble()).isBetween(0.0, 1.0);
            assertThat(answer.get("capital").isBoolean()).isTrue();
            assertThat(answer.get("tags").size()).isBetween(2, 4);
            assertThat(answer.get("kind").stringValue()).isIn("city", "town");
            assertThat(answer.get("mayor").get("name").isString()).isTrue();
        }
    }

    @Test
    void theRequestSeedPicksTheAnswerReproducibly() throws IOException {
        String seven = provider.generate(withOptions("Seeded", List.of(), null, new ProviderRequest.Options(null, 7L, null)),
                GenerationObserver.IGNORE).content();
        String sevenAgain = provider.generate(withOptions("Seeded", List.of(), null,
                new ProviderRequest.Options(null, 7L, null)), GenerationObserver.IGNORE).content();
        String eight = provider.generate(withOptions("Seeded", List.of(), null, new ProviderRequest.Options(null, 8L, null)),
                GenerationObserver.IGNORE).content();

        assertThat(sevenAgain).isEqualTo(seven);
        assertThat(eight).isNotEqualTo(seven);
    }

    @Test
    void aRequiredToolIsCalledWithArgumentsStreamedInPieces() throws IOException {
        Recording seen = new Recording();
        Generation g = provider.generate(withOptions("What is the weather?", WEATHER, "required",
                ProviderRequest.Options.NONE), seen);

        assertThat(g.finishReason()).isEqualTo("tool_calls");
        assertThat(g.content()).isEmpty();
        ToolCall call = g.toolCalls().getFirst();
        assertThat(call.name()).isEqualTo("get_weather");
        assertThat(JSON.readTree(call.arguments()).get("city").isString()).isTrue();
        assertThat(JSON.readTree(call.arguments()).get("unit").stringValue()).isIn("celsius", "fahrenheit");
        assertThat(seen.toolCallPieces.getFirst()).isEqualTo(ToolCallDelta.start(0, call.id(), "get_weather"));
        assertThat(seen.toolCallPieces).as("the arguments come in several pieces").hasSizeGreaterThan(3);
        assertThat(seen.toolCallPieces.stream().skip(1)).allSatisfy(d -> {
            assertThat(d.id()).isNull();
            assertThat(d.name()).isNull();
        });
        assertThat(seen.toolCallPieces.stream().map(ToolCallDelta::arguments).reduce("", String::concat))
                .isEqualTo(call.arguments());
        assertThat(g.usage().completionTokens()).isEqualTo(TOKENIZER.count(call.arguments()));
    }

    @Test
    void leftToAutoItCallsAFunctionTheUserNamesAndOtherwiseAnswers() throws IOException {
        assertThat(provider.generate(withOptions("Please call get_weather for Rome", WEATHER, null,
                ProviderRequest.Options.NONE), GenerationObserver.IGNORE).toolCalls()).hasSize(1);
        assertThat(provider.generate(withOptions("Tell me a story", WEATHER, "auto", ProviderRequest.Options.NONE),
                GenerationObserver.IGNORE).toolCalls()).isEmpty();
        assertThat(provider.generate(withOptions("Please call get_weather", WEATHER, "none", ProviderRequest.Options.NONE),
                GenerationObserver.IGNORE).toolCalls()).isEmpty();
    }

    @Test
    void imagesChangeTheAnswerAndCountAsPromptTokens() throws IOException {
        var text = new ProviderMessage("user", "What is this?", null, null);
        var withImage = new ProviderMessage("user", "What is this?", null, null, List.of(), List.of(
                ContentPart.text("What is this?"),
                new ContentPart(ContentPart.Kind.IMAGE, null, "https://example.com/cat.png", "low", null)));

        Generation plain = provider.generate(new ProviderRequest("sim-1", List.of(text), 1000, List.of(), null, null),
                GenerationObserver.IGNORE);
        Generation seeing = provider.generate(new ProviderRequest("sim-1", List.of(withImage), 1000, List.of(), null, null),
                GenerationObserver.IGNORE);

        assertThat(seeing.content()).isNotEqualTo(plain.content());
        assertThat(seeing.usage().promptTokens()).isEqualTo(plain.usage().promptTokens() + 85);
    }

    private static final List<ToolDefinition> WEATHER = List.of(new ToolDefinition("get_weather", "Current weather",
            Map.of("type", "object", "properties", Map.of("city", Map.of("type", "string"),
                    "unit", Map.of("type", "string", "enum", List.of("celsius", "fahrenheit"))),
                    "required", List.of("city", "unit"))));
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static ProviderRequest withOptions(String prompt, List<ToolDefinition> tools, String toolChoice,
                                               ProviderRequest.Options options) {
        return new ProviderRequest("sim-1", List.of(ProviderMessage.of("user", prompt)), 1000, List.of(), null, null,
                tools, toolChoice, options);
    }

    private static ProviderRequest request(String model, String prompt, int maxTokens) {
        return new ProviderRequest(model, List.of(ProviderMessage.of("user", prompt)), maxTokens, List.of(), null, null);
    }
}

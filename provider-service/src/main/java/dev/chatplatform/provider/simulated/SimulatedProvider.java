package dev.chatplatform.provider.simulated;

import dev.chatplatform.kit.openai.ResponseFormat;
import dev.chatplatform.provider.upstream.ChatProvider;
import dev.chatplatform.provider.upstream.Generation;
import dev.chatplatform.provider.upstream.GenerationObserver;
import dev.chatplatform.provider.upstream.ProviderMessage;
import dev.chatplatform.provider.upstream.ProviderRequest;
import dev.chatplatform.provider.upstream.TokenUsage;
import dev.chatplatform.provider.upstream.Tokenizer;
import dev.chatplatform.provider.upstream.ToolCall;
import dev.chatplatform.provider.upstream.ToolCallDelta;
import dev.chatplatform.provider.upstream.ToolDefinition;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The simulated model. The whole answer is decided up front (so stream and non-stream agree exactly),
 * then released one token at a time at the configured pace. Temperature and top_p are accepted and ignored:
 * the answer depends only on the model, the conversation and the request's {@code seed}.
 * <p>
 * With {@code response_format} {@code json_object} or {@code json_schema} it answers JSON ({@link SimulatedJson}).
 * It calls a function when {@code tool_choice} names one or is {@code required} (the first function), or, left to
 * {@code auto}, when the last message is the user's and names one of the functions: one call, whose arguments
 * conform to the function's parameter schema, streamed in pieces (the call's id and name, then its arguments token
 * by token) like OpenAI streams them.
 */
@Component
class SimulatedProvider implements ChatProvider {

    static final String NAME = "simulated";
    private static final Set<String> SUPPORTED_PARAMETERS = Set.of("response_format", "seed", "parallel_tool_calls");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Tokenizer tokenizer;
    private final SimulatedProperties properties;

    SimulatedProvider(Tokenizer tokenizer, SimulatedProperties properties) {
        this.tokenizer = tokenizer;
        this.properties = properties;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Set<String> supportedParameters() {
        return SUPPORTED_PARAMETERS;
    }

    @Override
    public Generation generate(ProviderRequest request, GenerationObserver observer) throws IOException {
        long seed = SimulatedText.seed(request.model(), request.messages(), request.options().seed());
        ToolDefinition tool = toolToCall(request);
        if (tool != null) {
            return callTool(request, tool, seed, observer);
        }
        String text = SimulatedText.answer(seed, tokenizer::count);
        ResponseFormat format = request.options().responseFormat();
        if (format != null && format.json()) {
            text = SimulatedJson.answer(format.schema(), seed, text);
        }
        String finishReason = "stop";
        text = cutAtFirstStopSequence(text, request.stop());
        int[] tokens = tokenizer.encode(text);
        int emitted = tokens.length;
        if (emitted > request.maxTokens()) {
            emitted = request.maxTokens();
            finishReason = "length";
        }
        List<String> pieces = tokenizer.pieces(Arrays.copyOf(tokens, emitted));

        TokenUsage usage = new TokenUsage(tokenizer.countPrompt(request.messages()), 0, 0, false);
        observer.started(usage);
        StringBuilder content = new StringBuilder();
        for (int i = 0; i < pieces.size(); i++) {
            pause(i == 0 ? properties.firstTokenDelay() : properties.interTokenDelay());
            content.append(pieces.get(i));
            usage = usage.withCompletionTokens(i + 1);
            observer.delta(pieces.get(i), usage);
        }
        return new Generation(content.toString(), finishReason, usage);
    }

    /** One call of {@code tool}: its id and name first, then its arguments token by token (cut at max_tokens). */
    private Generation callTool(ProviderRequest request, ToolDefinition tool, long seed, GenerationObserver observer)
            throws IOException {
        String id = "call_" + HexFormat.of().toHexDigits(seed);
        JsonNode schema = JSON.valueToTree(tool.parameters());
        String arguments = JSON.writeValueAsString(SimulatedJson.value(schema, new SimulatedText.SplitMix64(seed), 0));
        int[] tokens = tokenizer.encode(arguments);
        int emitted = Math.min(tokens.length, request.maxTokens());
        String finishReason = emitted < tokens.length ? "length" : "tool_calls";
        List<String> pieces = tokenizer.pieces(Arrays.copyOf(tokens, emitted));

        TokenUsage usage = new TokenUsage(tokenizer.countPrompt(request.messages()), 0, 0, false);
        observer.started(usage);
        pause(properties.firstTokenDelay());
        observer.toolCallDelta(ToolCallDelta.start(0, id, tool.name()), usage);
        StringBuilder sent = new StringBuilder();
        for (int i = 0; i < pieces.size(); i++) {
            if (i > 0) {
                pause(properties.interTokenDelay());
            }
            sent.append(pieces.get(i));
            usage = usage.withCompletionTokens(i + 1);
            observer.toolCallDelta(ToolCallDelta.arguments(0, pieces.get(i)), usage);
        }
        return new Generation("", finishReason, usage, List.of(new ToolCall(id, tool.name(), sent.toString())));
    }

    /** The function to call, or null to answer in text (see the class comment). */
    static ToolDefinition toolToCall(ProviderRequest request) {
        List<ToolDefinition> tools = request.tools();
        String choice = request.toolChoice() == null ? "auto" : request.toolChoice();
        if (tools.isEmpty() || choice.equals("none")) {
            return null;
        }
        if (choice.equals("required")) {
            return tools.getFirst();
        }
        if (!choice.equals("auto")) {
            return tools.stream().filter(t -> t.name().equals(choice)).findFirst().orElse(null);
        }
        ProviderMessage last = request.messages().getLast();
        if (!"user".equals(last.role()) || last.content() == null) {
            return null;
        }
        String text = last.content().toLowerCase(Locale.ROOT);
        return tools.stream().filter(t -> text.contains(t.name().toLowerCase(Locale.ROOT))).findFirst().orElse(null);
    }

    private static String cutAtFirstStopSequence(String text, List<String> stop) {
        int cut = text.length();
        for (String s : stop) {
            int at = s.isEmpty() ? -1 : text.indexOf(s);
            if (at >= 0 && at < cut) {
                cut = at;
            }
        }
        return text.substring(0, cut);
    }

    private static void pause(Duration delay) throws InterruptedIOException {
        if (delay.isZero()) {
            return;
        }
        try {
            Thread.sleep(delay);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("generation interrupted");
        }
    }
}

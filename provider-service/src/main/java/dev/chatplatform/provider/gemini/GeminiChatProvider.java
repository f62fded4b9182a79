package dev.chatplatform.provider.gemini;

import com.google.genai.Client;
import com.google.genai.ResponseStream;
import com.google.genai.errors.ApiException;
import com.google.genai.errors.GenAiIOException;
import com.google.genai.types.Candidate;
import com.google.genai.types.Content;
import com.google.genai.types.FunctionCall;
import com.google.genai.types.FunctionCallingConfig;
import com.google.genai.types.FunctionDeclaration;
import com.google.genai.types.GenerateContentConfig;
import com.google.genai.types.GenerateContentResponse;
import com.google.genai.types.GenerateContentResponseUsageMetadata;
import com.google.genai.types.Part;
import com.google.genai.types.Tool;
import com.google.genai.types.ToolConfig;
import dev.chatplatform.kit.openai.ContentPart;
import dev.chatplatform.provider.upstream.ChatProvider;
import dev.chatplatform.provider.upstream.Generation;
import dev.chatplatform.provider.upstream.GenerationObserver;
import dev.chatplatform.provider.upstream.ProviderMessage;
import dev.chatplatform.provider.upstream.ProviderRequest;
import dev.chatplatform.provider.upstream.TokenUsage;
import dev.chatplatform.provider.upstream.Tokenizer;
import dev.chatplatform.provider.upstream.ToolCall;
import dev.chatplatform.provider.upstream.ToolCallDelta;
import dev.chatplatform.provider.upstream.UpstreamException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Speaks Gemini's generateContent / streamGenerateContent through Google's Gen AI SDK. System messages
 * become the system instruction, the assistant role is "model", tool results are function responses
 * (named after the call they answer). Gemini reports cumulative usage on every chunk.
 */
public class GeminiChatProvider implements ChatProvider {

    public static final String NAME = "gemini";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Client client;
    private final Tokenizer tokenizer;

    public GeminiChatProvider(Client client, Tokenizer tokenizer) {
        this.client = client;
        this.tokenizer = tokenizer;
    }

    /** {@code response_format} is Gemini's {@code responseMimeType} (and {@code responseJsonSchema}). */
    @Override
    public Set<String> supportedParameters() {
        return Set.of("response_format", "seed");
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Generation generate(ProviderRequest request, GenerationObserver observer) throws IOException {
        try {
            return observer == GenerationObserver.IGNORE ? complete(request) : stream(request, observer);
        } catch (ApiException e) {
            throw new UpstreamException(NAME, e.code(), null, UpstreamException.classify(e.code()),
                    "gemini answered " + e.code() + ": " + e.message(), e);
        } catch (GenAiIOException e) {
            throw new UpstreamException(NAME, 0, null, "connection", "gemini could not be reached: " + e.getMessage(), e);
        } catch (IllegalStateException | IllegalArgumentException e) {
            throw new UpstreamException(NAME, 0, null, "malformed_response", "gemini sent an unreadable answer: "
                    + e.getMessage(), e);
        }
    }

    private Generation complete(ProviderRequest request) {
        GenerateContentResponse response = client.models.generateContent(request.model(), contents(request),
                config(request));
        Accumulator acc = new Accumulator(request);
        acc.add(response);
        return acc.generation(true);
    }

    private Generation stream(ProviderRequest request, GenerationObserver observer) throws IOException {
        Accumulator acc = new Accumulator(request);
        boolean started = false;
        try (ResponseStream<GenerateContentResponse> chunks = client.models.generateContentStream(request.model(),
                contents(request), config(request))) {
            for (GenerateContentResponse chunk : chunks) {
                int callsBefore = acc.calls.size();
                String piece = acc.add(chunk);
                if (!started) {
                    observer.started(acc.usage.withCompletionTokens(0));
                    started = true;
                }
                if (!piece.isEmpty()) {
                    observer.delta(piece, acc.usage);
                }
                // Gemini sends each function call whole: it goes on as one piece when it arrives
                for (int i = callsBefore; i < acc.calls.size(); i++) {
                    ToolCall call = acc.calls.get(i);
                    observer.toolCallDelta(new ToolCallDelta(i, call.id(), call.name(), call.arguments()), acc.usage);
                }
            }
        }
        return acc.generation(acc.finishReason != null);
    }

    /** Gathers content, calls, usage and finish reason over one answer's chunks. */
    private final class Accumulator {
        private final ProviderRequest request;
        final StringBuilder content = new StringBuilder();
        final List<ToolCall> calls = new ArrayList<>();
        TokenUsage usage;
        boolean reported;
        String finishReason;

        Accumulator(ProviderRequest request) {
            this.request = request;
            this.usage = new TokenUsage(tokenizer.countPrompt(request.messages()), 0, 0, true);
        }

        String add(GenerateContentResponse response) {
            StringBuilder piece = new StringBuilder();
            Optional<Candidate> candidate = response.candidates().flatMap(c -> c.stream().findFirst());
            candidate.flatMap(Candidate::content).flatMap(Content::parts).ifPresent(parts -> parts.forEach(p -> {
                if (p.thought().orElse(false)) {
                    return;
                }
                p.text().ifPresent(piece::append);
                p.functionCall().ifPresent(f -> calls.add(new ToolCall(f.id().orElse("call_" + calls.size()),
                        f.name().orElse(""), json(f.args().orElse(Map.of())))));
            }));
            candidate.flatMap(Candidate::finishReason).ifPresent(r -> finishReason = r.toString());
            content.append(piece);
            Optional<GenerateContentResponseUsageMetadata> meta = response.usageMetadata();
            if (meta.isPresent() && meta.get().promptTokenCount().isPresent() && meta.get().candidatesTokenCount().isPresent()) {
                int prompt = meta.get().promptTokenCount().get();
                int output = meta.get().candidatesTokenCount().orElse(0) + meta.get().thoughtsTokenCount().orElse(0);
                usage = new TokenUsage(prompt, Math.min(prompt, meta.get().cachedContentTokenCount().orElse(0)), output,
                        false);
                reported = true;
            } else if (!piece.isEmpty()) {
                usage = new TokenUsage(usage.promptTokens(), usage.cachedTokens(),
                        usage.completionTokens() + tokenizer.count(piece.toString()), true);
            }
            return piece.toString();
        }

        Generation generation(boolean finished) {
            if (!finished) {
                throw new UpstreamException(NAME, 0, null, "stream_cut", "gemini ended the stream before finishing", null);
            }
            if (!reported) {
                int completion = tokenizer.count(content.toString());
                usage = new TokenUsage(tokenizer.countPrompt(request.messages()), 0, completion, true);
            }
            String reason = switch (finishReason == null ? "STOP" : finishReason) {
                case "MAX_TOKENS" -> "length";
                case "SAFETY", "RECITATION", "BLOCKLIST", "PROHIBITED_CONTENT", "SPII" -> "content_filter";
                default -> calls.isEmpty() ? "stop" : "tool_calls";
            };
            return new Generation(content.toString(), reason, usage, calls);
        }
    }

    /** The conversation in Gemini's terms: roles user/model, tool results as function responses. */
    static List<Content> contents(ProviderRequest request) {
        Map<String, String> callNames = new HashMap<>();
        List<Content> contents = new ArrayList<>();
        for (ProviderMessage m : request.messages()) {
            if (m.instructions()) {
                continue; // in the system instruction
            }
            List<Part> parts = new ArrayList<>();
            String role = "assistant".equals(m.role()) ? "model" : "user";
            if ("tool".equals(m.role())) {
                parts.add(Part.fromFunctionResponse(callNames.getOrDefault(m.toolCallId(), m.toolCallId()),
                        Map.of("content", m.content() == null ? "" : m.content())));
            } else {
                if (!m.parts().isEmpty()) {
                    m.parts().forEach(part -> parts.add(part(part)));
                } else if (m.content() != null && !m.content().isEmpty()) {
                    parts.add(Part.fromText(m.content()));
                }
                for (ToolCall call : m.toolCalls()) {
                    callNames.put(call.id(), call.name());
                    parts.add(Part.fromFunctionCall(call.name(), parse(call.arguments())));
                }
            }
            contents.add(Content.builder().role(role).parts(parts).build());
        }
        return contents;
    }

    static GenerateContentConfig config(ProviderRequest request) {
        GenerateContentConfig.Builder config = GenerateContentConfig.builder()
                .maxOutputTokens(request.maxTokens())
                .candidateCount(1);
        if (request.systemPrompt() != null) {
            config.systemInstruction(Content.fromParts(Part.fromText(request.systemPrompt())));
        }
        if (request.temperature() != null) {
            config.temperature(request.temperature().floatValue());
        }
        if (request.topP() != null) {
            config.topP(request.topP().floatValue());
        }
        if (!request.stop().isEmpty()) {
            config.stopSequences(request.stop());
        }
        if (!request.tools().isEmpty()) {
            config.tools(Tool.builder().functionDeclarations(request.tools().stream()
                    .map(t -> {
                        FunctionDeclaration.Builder f = FunctionDeclaration.builder().name(t.name())
                                .parametersJsonSchema(t.parameters());
                        if (t.description() != null) {
                            f.description(t.description());
                        }
                        return f.build();
                    }).toList()).build());
            if (request.toolChoice() != null) {
                FunctionCallingConfig.Builder calling = FunctionCallingConfig.builder();
                switch (request.toolChoice()) {
                    case "auto" -> calling.mode("AUTO");
                    case "none" -> calling.mode("NONE");
                    case "required" -> calling.mode("ANY");
                    default -> calling.mode("ANY").allowedFunctionNames(request.toolChoice());
                }
                config.toolConfig(ToolConfig.builder().functionCallingConfig(calling.build()).build());
            }
        }
        ProviderRequest.Options options = request.options();
        if (options.responseFormat() != null) {
            config.responseMimeType("application/json");
            if (options.responseFormat().schema() != null) {
                config.responseJsonSchema(JSON.treeToValue(options.responseFormat().schema(), Map.class));
            }
        }
        if (options.seed() != null) {
            config.seed(options.seed().intValue()); // Gemini's seed is 32 bits: a larger one is cut to its low bits
        }
        return config.build();
    }

    /**
     * A text, image or file part: inline data for a {@code data:} URL, else the URL itself (Gemini fetches it). A
     * file known only by an OpenAI {@code file_id} cannot reach Gemini.
     */
    private static Part part(ContentPart part) {
        if (part.kind() == ContentPart.Kind.TEXT) {
            return Part.fromText(part.text());
        }
        if (part.dataBase64() != null) {
            return Part.fromBytes(java.util.Base64.getDecoder().decode(part.dataBase64()), part.dataMediaType());
        }
        if (part.kind() == ContentPart.Kind.AUDIO) {
            return Part.fromBytes(java.util.Base64.getDecoder().decode(part.url()), "audio/" + part.detail());
        }
        if (part.url() == null) {
            throw new IllegalArgumentException("a file known only by its OpenAI file_id cannot be sent to Gemini");
        }
        return Part.fromUri(part.url(), part.kind() == ContentPart.Kind.IMAGE ? "image/*" : "application/pdf");
    }

    private static Map<String, Object> parse(String arguments) {
        if (arguments == null || arguments.isBlank()) {
            return Map.of();
        }
        try {
            return JSON.readValue(arguments, new TypeReference<Map<String, Object>>() {
            });
        } catch (RuntimeException e) {
            return Map.of("arguments", arguments);
        }
    }

    private static String json(Map<String, Object> args) {
        return JSON.writeValueAsString(args);
    }
}

package dev.chatplatform.chat.provider;

import dev.chatplatform.kit.identity.CallerIdentity;
import dev.chatplatform.kit.identity.IdentityTokens;
import dev.chatplatform.kit.web.RequestIds;
import io.micrometer.tracing.TraceContext;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import org.springframework.beans.factory.ObjectProvider;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.stream.Stream;

/**
 * Calls provider-service's {@code POST /v1/chat/completions}, {@code POST /v1/chat/completions/auto-choice} and
 * {@code GET /v1/models/{id}} over HTTP/1.1 with the
 * JDK client, on the caller's behalf: each call carries an identity token minted for it, for provider-service,
 * naming chat-service as the actor. Answers of any status are returned as they are; only a failure to get an
 * answer at all becomes a {@link ProviderUnavailableException}.
 */
public class ProviderClient implements AutoCloseable {

    /** provider-service's {@code spring.application.name}: the audience of the tokens sent to it. */
    static final String AUDIENCE = "provider-service";
    /** What {@code model: "auto"} chose, {@code <model>; reason="<reason>"}: in provider-service's answers and requests. */
    public static final String AUTO_MODEL_HEADER = "X-Platform-Auto-Model";

    private final HttpClient http;
    private final IdentityTokens tokens;
    private final URI completions;
    private final URI autoChoice;
    private final String models;
    private final ProviderProperties properties;
    private final ObjectProvider<Tracer> tracer;
    private final ObjectProvider<Propagator> propagator;

    public ProviderClient(ProviderProperties properties, IdentityTokens tokens, ObjectProvider<Tracer> tracer,
                          ObjectProvider<Propagator> propagator) {
        this.properties = properties;
        this.tokens = tokens;
        this.tracer = tracer;
        this.propagator = propagator;
        String base = properties.url().toString().replaceAll("/+$", "");
        this.completions = URI.create(base + "/v1/chat/completions");
        this.autoChoice = URI.create(base + "/v1/chat/completions/auto-choice");
        this.models = base + "/v1/models/";
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(properties.connectTimeout())
                .executor(Executors.newVirtualThreadPerTaskExecutor())
                .build();
    }

    /** A non-stream completion: the whole answer body, whatever its status. */
    public HttpResponse<byte[]> complete(byte[] body, CallerIdentity caller, String requestId) {
        return complete(body, caller, requestId, null);
    }

    /**
     * @param autoChoice what {@code model: "auto"} chose for this request ({@code X-Platform-Auto-Model}, from
     *                   {@link #chooseAuto}), or null
     */
    public HttpResponse<byte[]> complete(byte[] body, CallerIdentity caller, String requestId, String autoChoice) {
        return send(request(completions, body, caller, requestId, "application/json", autoChoice),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    /** {@code POST /v1/chat/completions/auto-choice}: what {@code model: "auto"} picks, {@code {"model","reason"}}. */
    public HttpResponse<byte[]> chooseAuto(byte[] body, CallerIdentity caller, String requestId) {
        return send(request(autoChoice, body, caller, requestId, "application/json", null),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    /**
     * A streamed completion: the answer's lines, read lazily as provider-service writes them. The caller
     * must close the stream; closing it early drops the connection, which stops the upstream generation.
     */
    public HttpResponse<Stream<String>> stream(byte[] body, CallerIdentity caller, String requestId) {
        return stream(body, caller, requestId, null);
    }

    /** @param autoChoice as for {@link #complete(byte[], CallerIdentity, String, String)} */
    public HttpResponse<Stream<String>> stream(byte[] body, CallerIdentity caller, String requestId, String autoChoice) {
        return send(request(completions, body, caller, requestId, "text/event-stream", autoChoice),
                HttpResponse.BodyHandlers.ofLines());
    }

    /** {@code GET /v1/models/{id}}: the model's description, whatever the status. */
    public HttpResponse<byte[]> model(String id, CallerIdentity caller, String requestId) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(models + URLEncoder.encode(id, StandardCharsets.UTF_8)))
                .timeout(properties.connectTimeout().plus(properties.connectTimeout()))
                .header("Accept", "application/json")
                .header(IdentityTokens.HEADER, tokens.mint(caller, AUDIENCE))
                .GET();
        if (requestId != null) {
            builder.header(RequestIds.HEADER, requestId);
        }
        injectTraceContext(builder);
        return send(builder.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private HttpRequest request(URI uri, byte[] body, CallerIdentity caller, String requestId, String accept,
                                String autoChoice) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri)
                .timeout(properties.responseTimeout())
                .header("Content-Type", "application/json")
                .header("Accept", accept)
                .header(IdentityTokens.HEADER, tokens.mint(caller, AUDIENCE))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (requestId != null) {
            builder.header(RequestIds.HEADER, requestId);
        }
        if (autoChoice != null) {
            builder.header(AUTO_MODEL_HEADER, autoChoice);
        }
        injectTraceContext(builder);
        return builder.build();
    }

    private void injectTraceContext(HttpRequest.Builder builder) {
        Tracer t = tracer.getIfAvailable();
        Propagator p = propagator.getIfAvailable();
        if (t == null || p == null) {
            return;
        }
        TraceContext context = t.currentTraceContext().context();
        if (context != null) {
            p.inject(context, builder, HttpRequest.Builder::header);
        }
    }

    private <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
        try {
            return http.send(request, handler);
        } catch (IOException e) {
            throw new ProviderUnavailableException("provider-service did not answer: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProviderUnavailableException("interrupted while calling provider-service", e);
        }
    }

    /** Runs after the graceful shutdown drained the requests: whatever is still open upstream is aborted. */
    @Override
    public void close() {
        http.shutdownNow();
    }
}

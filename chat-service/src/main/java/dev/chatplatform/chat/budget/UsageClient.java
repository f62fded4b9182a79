package dev.chatplatform.chat.budget;

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

/**
 * Calls usage-service's hold API ({@code POST /api/v1/holds}, {@code DELETE /api/v1/holds/{id}}) and lease API
 * ({@code POST /api/v1/leases}, {@code GET /api/v1/leases/{id}}, {@code POST /api/v1/leases/{id}/return}) on the caller's
 * behalf, with the request id and the trace context. Each call carries an identity token minted for it, for
 * usage-service, naming chat-service as the actor: a release at the end of a stream of any length is accepted.
 * Answers of any status are returned as they are; only a failure to get an answer at all becomes a
 * {@link UsageServiceUnavailableException}.
 */
class UsageClient implements AutoCloseable {

    /** usage-service's {@code spring.application.name}: the audience of the tokens sent to it. */
    static final String AUDIENCE = "usage-service";

    private final HttpClient http;
    private final IdentityTokens tokens;
    private final URI holds;
    private final URI leases;
    private final BudgetProperties properties;
    private final ObjectProvider<Tracer> tracer;
    private final ObjectProvider<Propagator> propagator;

    UsageClient(BudgetProperties properties, IdentityTokens tokens, ObjectProvider<Tracer> tracer,
                ObjectProvider<Propagator> propagator) {
        this.properties = properties;
        this.tokens = tokens;
        this.tracer = tracer;
        this.propagator = propagator;
        String base = properties.usageUrl().toString().replaceAll("/+$", "");
        this.holds = URI.create(base + "/api/v1/holds");
        this.leases = URI.create(base + "/api/v1/leases");
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(properties.connectTimeout())
                .executor(Executors.newVirtualThreadPerTaskExecutor())
                .build();
    }

    HttpResponse<byte[]> place(byte[] body, CallerIdentity caller, String requestId) {
        return send(builder(holds, caller, requestId)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
    }

    HttpResponse<byte[]> release(String holdId, CallerIdentity caller, String requestId) {
        URI uri = URI.create(holds + "/" + URLEncoder.encode(holdId, StandardCharsets.UTF_8));
        return send(builder(uri, caller, requestId).DELETE());
    }

    HttpResponse<byte[]> lease(byte[] body, CallerIdentity caller) {
        return send(builder(leases, caller, null).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
    }

    HttpResponse<byte[]> getLease(String leaseId, CallerIdentity caller) {
        return send(builder(URI.create(leases + "/" + URLEncoder.encode(leaseId, StandardCharsets.UTF_8)), caller, null)
                .GET());
    }

    HttpResponse<byte[]> giveBack(String leaseId, byte[] consumed, CallerIdentity caller) {
        URI uri = URI.create(leases + "/" + URLEncoder.encode(leaseId, StandardCharsets.UTF_8) + "/return");
        return send(builder(uri, caller, null).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(consumed)));
    }

    private HttpRequest.Builder builder(URI uri, CallerIdentity caller, String requestId) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri)
                .timeout(properties.responseTimeout())
                .header("Accept", "application/json")
                .header(IdentityTokens.HEADER, tokens.mint(caller, AUDIENCE));
        if (requestId != null) {
            builder.header(RequestIds.HEADER, requestId);
        }
        Tracer t = tracer.getIfAvailable();
        Propagator p = propagator.getIfAvailable();
        TraceContext context = t == null ? null : t.currentTraceContext().context();
        if (context != null && p != null) {
            p.inject(context, builder, HttpRequest.Builder::header);
        }
        return builder;
    }

    private HttpResponse<byte[]> send(HttpRequest.Builder request) {
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UsageServiceUnavailableException("usage-service did not answer: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UsageServiceUnavailableException("interrupted while calling usage-service", e);
        }
    }

    @Override
    public void close() {
        http.shutdownNow();
    }
}

package dev.chatplatform.provider.openai;

import com.openai.core.RequestOptions;
import com.openai.core.Timeout;
import com.openai.core.http.Headers;
import com.openai.core.http.HttpClient;
import com.openai.core.http.HttpMethod;
import com.openai.core.http.HttpRequest;
import com.openai.core.http.HttpRequestBody;
import com.openai.core.http.HttpResponse;
import com.openai.errors.OpenAIIoException;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okio.BufferedSink;

import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.CompletableFuture;

/**
 * The OpenAI SDK's HTTP transport: one OkHttp client, built once, shared by every call of one endpoint.
 * <p>
 * Spring AI's {@code SpringAiOpenAiHttpClient} (used before) and the SDK's own OkHttp module build a new
 * {@code OkHttpClient} for every call to apply the call's timeouts; the request-path profile (bench/README.md,
 * issue 14) showed that rebuild at 15 % of provider-service's CPU. Here a call uses the shared client unless it
 * asks for other timeouts than the endpoint's, which this service never does. Retries stay off (routing retries
 * with its circuit breakers); the read timeout is the first-token timeout, as before.
 */
final class OpenAiTransport implements HttpClient {

    private final OkHttpClient client;
    private final Timeout timeout;

    OpenAiTransport(Timeout timeout) {
        this.timeout = timeout;
        this.client = withTimeouts(new OkHttpClient.Builder().retryOnConnectionFailure(false), timeout).build();
    }

    @Override
    public HttpResponse execute(HttpRequest request, RequestOptions options) {
        try {
            return new OkHttpResponse(newCall(request, options).execute());
        } catch (IOException e) {
            throw new OpenAIIoException("Request failed", e);
        } finally {
            closeBody(request);
        }
    }

    @Override
    public CompletableFuture<HttpResponse> executeAsync(HttpRequest request, RequestOptions options) {
        CompletableFuture<HttpResponse> future = new CompletableFuture<>();
        Call call = newCall(request, options);
        call.enqueue(new Callback() {
            @Override
            public void onResponse(Call c, Response response) {
                future.complete(new OkHttpResponse(response));
            }

            @Override
            public void onFailure(Call c, IOException e) {
                future.completeExceptionally(new OpenAIIoException("Request failed", e));
            }
        });
        future.whenComplete((response, failure) -> {
            if (future.isCancelled()) {
                call.cancel();
            }
            closeBody(request);
        });
        return future;
    }

    @Override
    public void close() {
        client.dispatcher().executorService().shutdown();
        client.connectionPool().evictAll();
    }

    private Call newCall(HttpRequest request, RequestOptions options) {
        Timeout asked = options.getTimeout();
        OkHttpClient callClient = asked == null || asked.equals(timeout)
                ? client : withTimeouts(client.newBuilder(), asked).build();
        return callClient.newCall(toOkHttp(request));
    }

    private static OkHttpClient.Builder withTimeouts(OkHttpClient.Builder builder, Timeout timeout) {
        return builder.connectTimeout(timeout.connect()).readTimeout(timeout.read())
                .writeTimeout(timeout.write()).callTimeout(timeout.request());
    }

    private static Request toOkHttp(HttpRequest request) {
        Request.Builder builder = new Request.Builder().url(request.url());
        Headers headers = request.headers();
        for (String name : headers.names()) {
            for (String value : headers.values(name)) {
                builder.addHeader(name, value);
            }
        }
        HttpRequestBody body = request.body();
        RequestBody okBody = body != null ? toOkHttp(body)
                : needsBody(request.method()) ? RequestBody.create(new byte[0]) : null;
        return builder.method(request.method().name(), okBody).build();
    }

    private static boolean needsBody(HttpMethod method) {
        return method == HttpMethod.POST || method == HttpMethod.PUT || method == HttpMethod.PATCH;
    }

    private static RequestBody toOkHttp(HttpRequestBody body) {
        MediaType type = body.contentType() == null ? null : MediaType.parse(body.contentType());
        long length = body.contentLength();
        return new RequestBody() {
            @Override
            public MediaType contentType() {
                return type;
            }

            @Override
            public long contentLength() {
                return length;
            }

            @Override
            public boolean isOneShot() {
                return !body.repeatable();
            }

            @Override
            public void writeTo(BufferedSink sink) {
                body.writeTo(sink.outputStream());
            }
        };
    }

    private static void closeBody(HttpRequest request) {
        if (request.body() != null) {
            request.body().close();
        }
    }

    /** One answer; its headers are converted once, when the SDK first asks, however often it asks. */
    private static final class OkHttpResponse implements HttpResponse {

        private final Response response;
        private Headers headers;

        OkHttpResponse(Response response) {
            this.response = response;
        }

        @Override
        public int statusCode() {
            return response.code();
        }

        @Override
        public Headers headers() {
            if (headers == null) {
                Headers.Builder builder = Headers.builder();
                for (String name : response.headers().names()) {
                    builder.put(name, response.headers(name));
                }
                headers = builder.build();
            }
            return headers;
        }

        @Override
        public InputStream body() {
            return response.body().byteStream();
        }

        @Override
        public void close() {
            response.body().close();
        }
    }
}

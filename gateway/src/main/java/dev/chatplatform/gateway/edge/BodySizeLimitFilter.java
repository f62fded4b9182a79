package dev.chatplatform.gateway.edge;

import dev.chatplatform.kit.web.ApiError;
import org.springframework.core.Ordered;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Refuses request bodies over {@code platform.web.max-body-bytes} with 413: at once when Content-Length
 * says so, and while streaming for chunked bodies (the error handler turns that into the same 413 when
 * the response has not started).
 */
public class BodySizeLimitFilter implements WebFilter, Ordered {

    public static final int ORDER = RequestIdFilter.ORDER + 10;

    private final long maxBytes;
    private final ErrorResponses errors;

    public BodySizeLimitFilter(long maxBytes, ErrorResponses errors) {
        this.maxBytes = maxBytes;
        this.errors = errors;
    }

    @Override
    public int getOrder() {
        return ORDER;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        long declared = exchange.getRequest().getHeaders().getContentLength();
        if (declared > maxBytes) {
            return errors.write(exchange, HttpStatus.CONTENT_TOO_LARGE, tooLarge(maxBytes));
        }
        if (declared >= 0) {
            return chain.filter(exchange);
        }
        return chain.filter(exchange.mutate().request(new Limited(exchange.getRequest(), maxBytes)).build());
    }

    static ApiError tooLarge(long maxBytes) {
        return ApiError.of("invalid_request_error", "request_too_large",
                "The request body is larger than " + maxBytes + " bytes.", null);
    }

    /** Stackless: an oversized body is the client's mistake, and the HTTP client logs it once already. */
    private static final class BodyTooLargeException extends ResponseStatusException {

        BodyTooLargeException() {
            super(HttpStatus.CONTENT_TOO_LARGE);
        }

        @Override
        public synchronized Throwable fillInStackTrace() {
            return this;
        }
    }

    private static final class Limited extends ServerHttpRequestDecorator {

        private final long maxBytes;

        Limited(ServerHttpRequest delegate, long maxBytes) {
            super(delegate);
            this.maxBytes = maxBytes;
        }

        @Override
        public Flux<DataBuffer> getBody() {
            return Flux.defer(() -> {
                AtomicLong seen = new AtomicLong();
                return super.getBody().map(buffer -> {
                    if (seen.addAndGet(buffer.readableByteCount()) > maxBytes) {
                        DataBufferUtils.release(buffer);
                        throw new BodyTooLargeException();
                    }
                    return buffer;
                });
            });
        }
    }
}

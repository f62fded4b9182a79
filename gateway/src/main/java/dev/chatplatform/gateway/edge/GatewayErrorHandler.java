package dev.chatplatform.gateway.edge;

import dev.chatplatform.kit.web.ApiError;
import dev.chatplatform.kit.web.RequestIds;
import io.netty.channel.ConnectTimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.boot.webflux.error.ErrorWebExceptionHandler;
import org.springframework.cloud.gateway.route.Route;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.core.Ordered;
import org.springframework.http.HttpStatus;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.PrematureCloseException;

import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.util.concurrent.TimeoutException;

/**
 * Every failure the gateway itself answers (unknown path, backend down or cut off, oversized body...) as
 * OpenAI's error JSON, never Boot's default error page. Runs before Boot's own handler.
 */
public class GatewayErrorHandler implements ErrorWebExceptionHandler, Ordered {

    private static final Logger log = LoggerFactory.getLogger(GatewayErrorHandler.class);

    private final ErrorResponses errors;
    private final long maxBodyBytes;

    public GatewayErrorHandler(ErrorResponses errors, long maxBodyBytes) {
        this.errors = errors;
        this.maxBodyBytes = maxBodyBytes;
    }

    @Override
    public int getOrder() {
        return -2;
    }

    @Override
    public Mono<Void> handle(ServerWebExchange exchange, Throwable ex) {
        if (exchange.getResponse().isCommitted()) {
            return Mono.error(ex);
        }
        Failure failure = classify(exchange, ex);
        if (failure.status().is5xxServerError()) {
            String requestId = exchange.getAttribute(RequestIdFilter.ATTRIBUTE);
            MDC.put(RequestIds.MDC_KEY, requestId == null ? "-" : requestId);
            try {
                if (failure.status() == HttpStatus.INTERNAL_SERVER_ERROR) {
                    log.error("{} {} failed", exchange.getRequest().getMethod(), exchange.getRequest().getPath(), ex);
                } else {
                    log.warn("{} {} -> {}: {}", exchange.getRequest().getMethod(), exchange.getRequest().getPath(),
                            failure.status().value(), ex.toString());
                }
            } finally {
                MDC.remove(RequestIds.MDC_KEY);
            }
        }
        return errors.write(exchange, failure.status(), failure.error());
    }

    private Failure classify(ServerWebExchange exchange, Throwable ex) {
        String service = upstream(exchange);
        if (causedBy(ex, ConnectException.class) || causedBy(ex, ConnectTimeoutException.class)
                || causedBy(ex, UnknownHostException.class)) {
            return new Failure(HttpStatus.SERVICE_UNAVAILABLE, ApiError.of("server_error", "service_unavailable",
                    "The " + service + " is unavailable right now; please retry shortly.", null));
        }
        // a connection the service closed or reset while the gateway was proxying to it (the service died)
        if (causedBy(ex, PrematureCloseException.class)
                || (exchange.getAttribute(ServerWebExchangeUtils.GATEWAY_ROUTE_ATTR) != null && causedBy(ex, IOException.class))) {
            return new Failure(HttpStatus.BAD_GATEWAY, ApiError.of("server_error", "service_unavailable",
                    "The " + service + " closed the connection before answering; please retry.", null));
        }
        if (causedBy(ex, TimeoutException.class)) {
            return new Failure(HttpStatus.GATEWAY_TIMEOUT, ApiError.of("server_error", "upstream_timeout",
                    "The " + service + " did not answer in time.", null));
        }
        if (ex instanceof ResponseStatusException rse) {
            HttpStatus status = HttpStatus.resolve(rse.getStatusCode().value());
            if (status != null) {
                return fromStatus(exchange, status);
            }
        }
        return new Failure(HttpStatus.INTERNAL_SERVER_ERROR, ApiError.of("server_error", "internal_error",
                "The gateway failed to handle the request; it has been logged.", null));
    }

    private Failure fromStatus(ServerWebExchange exchange, HttpStatus status) {
        String method = exchange.getRequest().getMethod().name();
        String path = exchange.getRequest().getPath().value();
        ApiError error = switch (status) {
            case NOT_FOUND -> ApiError.of("invalid_request_error", "not_found",
                    "No such endpoint: " + method + " " + path, null);
            case METHOD_NOT_ALLOWED -> ApiError.of("invalid_request_error", "method_not_allowed",
                    "Method " + method + " is not allowed here.", null);
            case CONTENT_TOO_LARGE -> BodySizeLimitFilter.tooLarge(maxBodyBytes);
            case SERVICE_UNAVAILABLE, BAD_GATEWAY -> ApiError.of("server_error", "service_unavailable",
                    "The " + upstream(exchange) + " is unavailable right now; please retry shortly.", null);
            case GATEWAY_TIMEOUT -> ApiError.of("server_error", "upstream_timeout",
                    "The " + upstream(exchange) + " did not answer in time.", null);
            default -> status.is5xxServerError()
                    ? ApiError.of("server_error", "internal_error", status.getReasonPhrase(), null)
                    : ApiError.of("invalid_request_error", "invalid_request", status.getReasonPhrase(), null);
        };
        return new Failure(status, error);
    }

    private static String upstream(ServerWebExchange exchange) {
        Route route = exchange.getAttribute(ServerWebExchangeUtils.GATEWAY_ROUTE_ATTR);
        return route == null ? "upstream service" : "upstream service for route '" + route.getId() + "'";
    }

    private static boolean causedBy(Throwable ex, Class<? extends Throwable> type) {
        for (Throwable t = ex; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    private record Failure(HttpStatus status, ApiError error) {
    }
}

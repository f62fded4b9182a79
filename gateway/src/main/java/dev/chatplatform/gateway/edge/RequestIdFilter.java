package dev.chatplatform.gateway.edge;

import dev.chatplatform.kit.web.RequestIds;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.core.Ordered;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;
import reactor.core.publisher.SignalType;

/**
 * Mints every request's id, forwards it upstream in {@value RequestIds#HEADER}, returns it on the response
 * (whatever the backend answered) and writes one access-log line per request with the id in the MDC. The
 * id is never the client's: it is the cause of the request's billable usage event, and a client reusing an
 * id must not be billed once for many requests. A client's own {@value RequestIds#HEADER} is passed on as
 * {@value RequestIds#CLIENT_HEADER} and logged, for correlation.
 */
public class RequestIdFilter implements WebFilter, Ordered {

    /** Exchange attribute holding the request id. */
    public static final String ATTRIBUTE = RequestIds.MDC_KEY;
    /** Exchange attribute holding the authenticated account, for the access log. */
    public static final String ACCOUNT_ATTRIBUTE = "accountId";
    public static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 10;

    private static final Logger log = LoggerFactory.getLogger("dev.chatplatform.gateway.access");

    @Override
    public int getOrder() {
        return ORDER;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        ServerHttpRequest request = exchange.getRequest();
        String requestId = RequestIds.mint();
        String clientRequestId = request.getHeaders().getFirst(RequestIds.HEADER);
        exchange.getAttributes().put(ATTRIBUTE, requestId);
        ServerHttpResponse response = exchange.getResponse();
        response.beforeCommit(() -> {
            response.getHeaders().set(RequestIds.HEADER, requestId);
            return Mono.empty();
        });
        ServerWebExchange forwarded = exchange.mutate()
                .request(r -> r.headers(h -> {
                    h.set(RequestIds.HEADER, requestId);
                    h.remove(RequestIds.CLIENT_HEADER);
                    if (clientRequestId != null) {
                        h.set(RequestIds.CLIENT_HEADER, RequestIds.acceptOrMint(clientRequestId));
                    }
                }))
                .build();
        long started = System.nanoTime();
        boolean quiet = request.getPath().value().startsWith("/actuator");
        return chain.filter(forwarded).doFinally(signal -> {
            if (!quiet) {
                logAccess(forwarded, requestId, signal, (System.nanoTime() - started) / 1_000_000);
            }
        });
    }

    private static void logAccess(ServerWebExchange exchange, String requestId, SignalType signal, long millis) {
        HttpStatusCode status = exchange.getResponse().getStatusCode();
        String accountId = exchange.getAttribute(ACCOUNT_ATTRIBUTE);
        MDC.put(RequestIds.MDC_KEY, requestId);
        if (accountId != null) {
            MDC.put(ACCOUNT_ATTRIBUTE, accountId);
        }
        try {
            log.info("{} {} -> {} in {} ms{}", exchange.getRequest().getMethod(), exchange.getRequest().getPath(),
                    status == null ? "-" : status.value(), millis,
                    signal == SignalType.CANCEL ? " (client went away)" : "");
        } finally {
            MDC.remove(RequestIds.MDC_KEY);
            MDC.remove(ACCOUNT_ATTRIBUTE);
        }
    }
}

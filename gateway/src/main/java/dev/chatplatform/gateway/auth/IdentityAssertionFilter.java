package dev.chatplatform.gateway.auth;

import dev.chatplatform.kit.identity.CallerIdentity;
import dev.chatplatform.kit.identity.IdentityTokens;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.cloud.gateway.route.Route;
import org.springframework.cloud.gateway.route.RouteDefinition;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.core.Ordered;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

import java.util.List;

/**
 * Asserts the authenticated caller ({@link AuthenticationFilter#CALLER_ATTRIBUTE}) to the service the matched route
 * leads to: a token minted now, for that service only (the route's {@code metadata.audience}, the target's
 * {@code spring.application.name}). A route filter rather than part of authentication, because only once a route
 * has matched is the target known. Requests on public paths carry no caller and get no identity.
 */
class IdentityAssertionFilter implements GlobalFilter, Ordered {

    /** The route metadata key naming the service a route leads to. */
    static final String AUDIENCE = "audience";

    private final IdentityTokens tokens;

    /** Refuses to start when a route does not name its audience: its target would refuse every caller. */
    IdentityAssertionFilter(IdentityTokens tokens, List<RouteDefinition> routes) {
        this.tokens = tokens;
        for (RouteDefinition route : routes) {
            if (!(route.getMetadata().get(AUDIENCE) instanceof String audience) || audience.isBlank()) {
                throw new IllegalStateException("gateway route '" + route.getId() + "' has no metadata."
                        + AUDIENCE + ": name the service it leads to (its spring.application.name)");
            }
        }
    }

    @Override
    public int getOrder() {
        return 0; // any order before the routing filter (lowest precedence) will do
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
        CallerIdentity caller = exchange.getAttribute(AuthenticationFilter.CALLER_ATTRIBUTE);
        Route route = exchange.getAttribute(ServerWebExchangeUtils.GATEWAY_ROUTE_ATTR);
        if (caller == null || route == null) {
            return chain.filter(exchange);
        }
        String assertion = tokens.mint(caller, (String) route.getMetadata().get(AUDIENCE));
        return chain.filter(exchange.mutate().request(r -> r.headers(h -> h.set(IdentityTokens.HEADER, assertion)))
                .build());
    }
}

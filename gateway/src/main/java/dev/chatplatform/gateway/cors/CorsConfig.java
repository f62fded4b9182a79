package dev.chatplatform.gateway.cors;

import dev.chatplatform.gateway.edge.BodySizeLimitFilter;
import dev.chatplatform.gateway.edge.RequestIdFilter;
import org.springframework.cloud.gateway.filter.headers.HttpHeadersFilter;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.reactive.CorsUtils;
import org.springframework.web.cors.reactive.CorsWebFilter;
import org.springframework.web.cors.reactive.DefaultCorsProcessor;
import org.springframework.web.server.ServerWebExchange;

import java.util.List;
import java.util.stream.Stream;

/**
 * Spring's {@link CorsWebFilter} with the allow-list of {@link CorsProperties}, for every path. It runs right after
 * {@link RequestIdFilter} and before the body size limit, authentication and rate limits, so a preflight is answered
 * (or refused with 403) without a key, and the CORS headers of an allowed origin are on the response before any
 * filter writes an error (401, 403, 413, 429...), which the page can then read.
 */
@Configuration(proxyBeanMethods = false)
class CorsConfig {

    /** The methods the platform's APIs use. */
    private static final List<String> METHODS = Stream.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.POST,
            HttpMethod.PUT, HttpMethod.PATCH, HttpMethod.DELETE).map(HttpMethod::name).toList();

    @Bean
    GatewayCorsFilter gatewayCorsFilter(CorsProperties properties) {
        CorsConfiguration cors = new CorsConfiguration();
        if (properties.allowedOrigins().contains("*")) {
            cors.setAllowedOrigins(List.of(CorsConfiguration.ALL)); // answered with "*": credentials are off
        } else {
            cors.setAllowedOriginPatterns(properties.allowedOrigins());
        }
        cors.setAllowedMethods(METHODS);
        cors.setAllowedHeaders(properties.allowedHeaders());
        cors.setExposedHeaders(properties.exposedHeaders());
        cors.setAllowCredentials(properties.allowCredentials());
        cors.setMaxAge(properties.maxAge());
        return new GatewayCorsFilter(cors);
    }

    /** The services' own {@code Access-Control-*} response headers never reach the browser: the gateway's decide. */
    @Bean
    HttpHeadersFilter dropServiceCorsHeaders() {
        return new HttpHeadersFilter() {
            @Override
            public HttpHeaders filter(HttpHeaders input, ServerWebExchange exchange) {
                HttpHeaders kept = new HttpHeaders();
                input.forEach((name, values) -> {
                    if (!name.regionMatches(true, 0, "Access-Control-", 0, "Access-Control-".length())) {
                        kept.addAll(name, values);
                    }
                });
                return kept;
            }

            @Override
            public boolean supports(Type type) {
                return type == Type.RESPONSE;
            }
        };
    }

    static final class GatewayCorsFilter extends CorsWebFilter implements Ordered {

        /** After the request id (a preflight and its refusal are logged with one), before {@link BodySizeLimitFilter}. */
        static final int ORDER = RequestIdFilter.ORDER + 5;

        GatewayCorsFilter(CorsConfiguration cors) {
            super(exchange -> cors, new AllowListProcessor());
        }

        @Override
        public int getOrder() {
            return ORDER;
        }
    }

    /**
     * Spring's processor, except that an actual (not preflight) request from an origin off the list is passed on
     * without CORS headers rather than refused: the browser keeps the answer from the page all the same, and behind
     * a proxy that terminates TLS the console's own same-origin calls (which carry an Origin) look cross-origin here.
     * Preflights from such an origin are still refused with 403.
     */
    static final class AllowListProcessor extends DefaultCorsProcessor {

        @Override
        public boolean process(CorsConfiguration config, ServerWebExchange exchange) {
            ServerHttpRequest request = exchange.getRequest();
            if (config != null && CorsUtils.isCorsRequest(request) && !CorsUtils.isPreFlightRequest(request)
                    && config.checkOrigin(request.getHeaders().getOrigin()) == null) {
                HttpHeaders headers = exchange.getResponse().getHeaders();
                if (!headers.getVary().contains(HttpHeaders.ORIGIN)) {
                    headers.add(HttpHeaders.VARY, HttpHeaders.ORIGIN); // the answer to an allowed origin differs
                }
                return true;
            }
            return super.process(config, exchange);
        }
    }
}

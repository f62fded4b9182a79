package dev.chatplatform.gateway.auth;

import dev.chatplatform.gateway.edge.BodySizeLimitFilter;
import dev.chatplatform.gateway.edge.ErrorResponses;
import dev.chatplatform.gateway.edge.RequestIdFilter;
import dev.chatplatform.kit.identity.CallerIdentity;
import dev.chatplatform.kit.identity.IdentityTokens;
import dev.chatplatform.kit.web.ApiError;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.PathContainer;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;
import reactor.core.publisher.Mono;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Authenticates every request except the public paths with {@code Authorization: Bearer <api key>}, then
 * forwards it with the identity asserted by the gateway: any {@value IdentityTokens#HEADER} the client
 * sent is dropped (on public paths too) and a freshly signed one added; the client's key itself is not
 * forwarded. A web filter rather than a route filter, so unknown paths also need a key and the route
 * table is not visible to anonymous callers.
 */
public class ApiKeyAuthenticationFilter implements WebFilter, Ordered {

    public static final int ORDER = BodySizeLimitFilter.ORDER + 10;

    /**
     * billing-service trusts this header (a verified e-mail) only from OIDC identities the gateway asserts;
     * a client never gets to set it.
     */
    public static final String VERIFIED_EMAIL_HEADER = "X-Platform-Oidc-Email";

    private static final Pattern BEARER = Pattern.compile("(?i)Bearer +(\\S+) *");

    private final ApiKeyAuthenticator authenticator;
    private final IdentityTokens tokens;
    private final ErrorResponses errors;
    private final List<PathPattern> publicPaths;

    public ApiKeyAuthenticationFilter(ApiKeyAuthenticator authenticator, IdentityTokens tokens, ErrorResponses errors,
                                      List<String> publicPaths) {
        this.authenticator = authenticator;
        this.tokens = tokens;
        this.errors = errors;
        this.publicPaths = publicPaths.stream().map(PathPatternParser.defaultInstance::parse).toList();
    }

    @Override
    public int getOrder() {
        return ORDER;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        PathContainer path = exchange.getRequest().getPath().pathWithinApplication();
        if (publicPaths.stream().anyMatch(p -> p.matches(path))) {
            return chain.filter(exchange.mutate().request(r -> r.headers(h -> {
                h.remove(IdentityTokens.HEADER);
                h.remove(VERIFIED_EMAIL_HEADER);
            })).build());
        }
        String authorization = exchange.getRequest().getHeaders().getFirst(HttpHeaders.AUTHORIZATION);
        if (authorization == null || authorization.isBlank()) {
            return reject(exchange, "missing_api_key", "You didn't provide an API key. Provide it in an "
                    + "Authorization header using Bearer auth (Authorization: Bearer YOUR_KEY).");
        }
        var bearer = BEARER.matcher(authorization);
        if (!bearer.matches()) {
            return reject(exchange, "invalid_authorization_header",
                    "The Authorization header must be 'Bearer YOUR_KEY'.");
        }
        Optional<CallerIdentity> identity = authenticator.authenticate(bearer.group(1));
        if (identity.isEmpty()) {
            return reject(exchange, "invalid_api_key", "Incorrect API key provided, or the key has been revoked.");
        }
        CallerIdentity caller = identity.get();
        exchange.getAttributes().put(RequestIdFilter.ACCOUNT_ATTRIBUTE, caller.accountId());
        String assertion = tokens.sign(caller);
        return chain.filter(exchange.mutate().request(r -> r.headers(h -> {
            h.remove(HttpHeaders.AUTHORIZATION);
            h.remove(VERIFIED_EMAIL_HEADER);
            h.set(IdentityTokens.HEADER, assertion);
        })).build());
    }

    private Mono<Void> reject(ServerWebExchange exchange, String code, String message) {
        exchange.getResponse().getHeaders().set(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
        return errors.write(exchange, HttpStatus.UNAUTHORIZED, ApiError.of("authentication_error", code, message, null));
    }
}

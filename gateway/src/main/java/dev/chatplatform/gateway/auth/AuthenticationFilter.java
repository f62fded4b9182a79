package dev.chatplatform.gateway.auth;

import dev.chatplatform.gateway.account.AccountView;
import dev.chatplatform.gateway.edge.BodySizeLimitFilter;
import dev.chatplatform.gateway.edge.ErrorResponses;
import dev.chatplatform.gateway.edge.RequestIdFilter;
import dev.chatplatform.gateway.oidc.InvalidTokenException;
import dev.chatplatform.gateway.oidc.IssuerUnavailableException;
import dev.chatplatform.gateway.oidc.OidcAuthenticator;
import dev.chatplatform.gateway.oidc.OidcTokenVerifier;
import dev.chatplatform.kit.identity.CallerIdentity;
import dev.chatplatform.kit.identity.IdentityTokens;
import dev.chatplatform.kit.web.ApiError;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.PathContainer;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;
import reactor.core.publisher.Mono;

import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Authenticates every request except the public paths with {@code Authorization: Bearer <api key or JWT>},
 * then forwards it with the identity asserted by the gateway: any {@value IdentityTokens#HEADER} (and
 * {@value #VERIFIED_EMAIL_HEADER}) the client sent is dropped, on public paths too, and the caller is left in
 * {@link #CALLER_ATTRIBUTE} for {@link IdentityAssertionFilter} to mint a token for the route's service; the
 * client's credential itself is not forwarded. A web filter rather than a route filter, so
 * unknown paths also need a credential and the route table is not visible to anonymous callers.
 * <p>
 * A bearer shaped like a JWT (and not {@code sk-cp-...}) is an OIDC token when OIDC is configured, otherwise
 * it is looked up as an API key like any other (and refused).
 * <p>
 * A valid credential of an account that is not active (suspended or deleted, per the {@link AccountView}) is
 * refused with 403 and a code naming the status ({@code account_suspended}, {@code account_deleted}).
 * <p>
 * Besides the public paths, requests that {@code publicPages} accepts (the web console's pages and assets: they hold
 * no data) pass without a credential too.
 */
public class AuthenticationFilter implements WebFilter, Ordered {

    public static final int ORDER = BodySizeLimitFilter.ORDER + 10;

    /**
     * billing-service trusts this header (a verified e-mail) only from OIDC identities the gateway asserts;
     * a client never gets to set it.
     */
    public static final String VERIFIED_EMAIL_HEADER = "X-Platform-Oidc-Email";

    /** Exchange attribute holding the authenticated {@link CallerIdentity}, for the filters after this one. */
    public static final String CALLER_ATTRIBUTE = AuthenticationFilter.class.getName() + ".caller";

    private static final Pattern BEARER = Pattern.compile("(?i)Bearer +(\\S+) *");
    private static final PathContainer SIGN_UP_PATH = PathContainer.parsePath("/api/v1/accounts");

    private final ApiKeyAuthenticator apiKeys;
    private final AccountView accounts;
    private final OidcAuthenticator oidc;
    private final ErrorResponses errors;
    private final List<PathPattern> publicPaths;
    private final Predicate<ServerHttpRequest> publicPages;

    /** {@code oidc} is null when no issuer is configured. */
    public AuthenticationFilter(ApiKeyAuthenticator apiKeys, AccountView accounts, OidcAuthenticator oidc,
                                ErrorResponses errors, List<String> publicPaths,
                                Predicate<ServerHttpRequest> publicPages) {
        this.apiKeys = apiKeys;
        this.accounts = accounts;
        this.oidc = oidc;
        this.errors = errors;
        this.publicPaths = publicPaths.stream().map(PathPatternParser.defaultInstance::parse).toList();
        this.publicPages = publicPages;
    }

    @Override
    public int getOrder() {
        return ORDER;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        PathContainer path = exchange.getRequest().getPath().pathWithinApplication();
        if (publicPaths.stream().anyMatch(p -> p.matches(path)) || publicPages.test(exchange.getRequest())) {
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
        String credential = bearer.group(1);
        if (oidc != null && OidcTokenVerifier.looksLikeJwt(credential)) {
            return authenticateJwt(exchange, chain, credential);
        }
        Optional<CallerIdentity> identity = apiKeys.authenticate(credential);
        if (identity.isEmpty()) {
            return reject(exchange, "invalid_api_key", "Incorrect API key provided, or the key has been revoked.");
        }
        return forwardIfActive(exchange, chain, identity.get());
    }

    private Mono<Void> authenticateJwt(ServerWebExchange exchange, WebFilterChain chain, String jwt) {
        return oidc.authenticate(jwt)
                .flatMap(outcome -> switch (outcome) {
                    case OidcAuthenticator.Outcome.Linked linked -> forwardIfActive(exchange, chain, linked.identity());
                    // a suspended account keeps its sign-in: signing up again would only return that account
                    case OidcAuthenticator.Outcome.Unlinked unlinked when isSignUp(exchange)
                            && isSuspended(unlinked.formerAccountId()) ->
                            refuseInactive(exchange, unlinked.formerAccountId(), AccountView.SUSPENDED);
                    case OidcAuthenticator.Outcome.Unlinked unlinked when isSignUp(exchange) ->
                            forward(exchange, chain, unlinked.signUpIdentity(), unlinked.verifiedEmail());
                    case OidcAuthenticator.Outcome.Unlinked unlinked when unlinked.disabled() ->
                            accounts.inactiveStatus(unlinked.formerAccountId())
                                    .map(status -> refuseInactive(exchange, unlinked.formerAccountId(), status))
                                    .orElseGet(() -> forbidden(exchange, "account_disabled", "The account this sign-in "
                                            + "belongs to is suspended or deleted. Sign up again with POST "
                                            + "/api/v1/accounts, or ask an administrator."));
                    case OidcAuthenticator.Outcome.Unlinked unlinked ->
                            forbidden(exchange, "signup_required", "No account is linked to this sign-in yet. "
                                    + "Create one with POST /api/v1/accounts.");
                })
                .onErrorResume(InvalidTokenException.class, e -> {
                    exchange.getResponse().getHeaders().set(HttpHeaders.WWW_AUTHENTICATE,
                            "Bearer error=\"invalid_token\"");
                    return errors.write(exchange, HttpStatus.UNAUTHORIZED,
                            ApiError.of("authentication_error", "invalid_token", e.getMessage(), null));
                })
                .onErrorResume(IssuerUnavailableException.class, e -> errors.write(exchange,
                        HttpStatus.SERVICE_UNAVAILABLE,
                        ApiError.of("server_error", "identity_provider_unavailable", e.getMessage(), null)));
    }

    private static boolean isSignUp(ServerWebExchange exchange) {
        return HttpMethod.POST.equals(exchange.getRequest().getMethod())
                && SIGN_UP_PATH.value().equals(exchange.getRequest().getPath().pathWithinApplication().value());
    }

    private boolean isSuspended(String accountId) {
        return accounts.inactiveStatus(accountId).filter(AccountView.SUSPENDED::equals).isPresent();
    }

    /** Forwards an authenticated caller unless its account is suspended or deleted. */
    private Mono<Void> forwardIfActive(ServerWebExchange exchange, WebFilterChain chain, CallerIdentity caller) {
        return accounts.inactiveStatus(caller.accountId())
                .map(status -> refuseInactive(exchange, caller.accountId(), status))
                .orElseGet(() -> forward(exchange, chain, caller, null));
    }

    private Mono<Void> refuseInactive(ServerWebExchange exchange, String accountId, String status) {
        exchange.getAttributes().put(RequestIdFilter.ACCOUNT_ATTRIBUTE, accountId);
        return switch (status) {
            case AccountView.SUSPENDED -> forbidden(exchange, "account_suspended", "The account " + accountId
                    + " is suspended: its API keys and sign-ins are refused until an administrator reactivates it.");
            case AccountView.DELETED -> forbidden(exchange, "account_deleted", "The account " + accountId
                    + " has been deleted: its API keys and sign-ins no longer work.");
            default -> forbidden(exchange, "account_inactive", "The account " + accountId + " is " + status
                    + ", not active: its API keys and sign-ins are refused.");
        };
    }

    private Mono<Void> forward(ServerWebExchange exchange, WebFilterChain chain, CallerIdentity caller,
                               String verifiedEmail) {
        exchange.getAttributes().put(RequestIdFilter.ACCOUNT_ATTRIBUTE, caller.accountId());
        exchange.getAttributes().put(CALLER_ATTRIBUTE, caller); // IdentityAssertionFilter asserts it to the route's service
        return chain.filter(exchange.mutate().request(r -> r.headers(h -> {
            h.remove(HttpHeaders.AUTHORIZATION);
            h.remove(VERIFIED_EMAIL_HEADER);
            h.remove(IdentityTokens.HEADER);
            if (verifiedEmail != null) {
                h.set(VERIFIED_EMAIL_HEADER, verifiedEmail);
            }
        })).build());
    }

    private Mono<Void> reject(ServerWebExchange exchange, String code, String message) {
        exchange.getResponse().getHeaders().set(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
        return errors.write(exchange, HttpStatus.UNAUTHORIZED, ApiError.of("authentication_error", code, message, null));
    }

    private Mono<Void> forbidden(ServerWebExchange exchange, String code, String message) {
        return errors.write(exchange, HttpStatus.FORBIDDEN, ApiError.of("permission_error", code, message, null));
    }
}

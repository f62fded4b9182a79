package dev.chatplatform.kit.web;

import dev.chatplatform.kit.identity.CallerIdentity;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;

import java.lang.reflect.Method;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Enforces every handler's {@link EndpointAccess} before its arguments are resolved, so a caller without the
 * scope learns nothing about what a valid body would look like: 401 {@code unauthenticated} without an identity,
 * 403 {@code insufficient_scope} naming the scopes needed. A handler that declares nothing is refused (a
 * programming error, also caught by every service's endpoint-scope test). Handlers that are not controller methods
 * (static files, such as the analytics dashboard's assets) carry no declaration and pass: who may fetch them is
 * {@link EdgeFilter}'s public-path decision.
 */
final class ScopeInterceptor implements HandlerInterceptor {

    private final Map<Method, Optional<EndpointAccess>> declared = new ConcurrentHashMap<>();

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        if (!(handler instanceof HandlerMethod method) || EndpointAccess.isErrorPage(method)) {
            return true;
        }
        EndpointAccess access = declared.computeIfAbsent(method.getMethod(), m -> EndpointAccess.of(method))
                .orElseThrow(() -> new IllegalStateException(method + " declares no access: annotate it "
                        + "@RequiresScope, @Authenticated or @PublicEndpoint"));
        if (access instanceof EndpointAccess.Public) {
            return true;
        }
        if (!(request.getAttribute(EdgeFilter.IDENTITY_ATTRIBUTE) instanceof CallerIdentity caller)) {
            throw ApiException.unauthorized("unauthenticated", "No caller identity on this request.");
        }
        if (access instanceof EndpointAccess.AnyOf(var scopes) && scopes.stream().noneMatch(caller::hasScope)) {
            throw ApiException.forbidden("insufficient_scope", "This endpoint needs "
                    + (scopes.size() == 1 ? "the '" + scopes.iterator().next() + "' scope" : "one of the scopes "
                    + scopes.stream().map(s -> "'" + s + "'").collect(Collectors.joining(", ")))
                    + "; this credential has " + held(caller) + ".");
        }
        return true;
    }

    private static String held(CallerIdentity caller) {
        return caller.scopes().isEmpty() ? "none" : caller.scopes().stream().sorted()
                .map(s -> "'" + s + "'").collect(Collectors.joining(", "));
    }
}

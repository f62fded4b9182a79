package dev.chatplatform.kit.web;

import dev.chatplatform.kit.identity.Scope;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.web.method.HandlerMethod;

import java.lang.reflect.AnnotatedElement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What an endpoint asks of its caller, as its handler declares it with {@link RequiresScope}, {@link Authenticated}
 * or {@link PublicEndpoint}: on the method, or else on the controller class. Read by {@link ScopeInterceptor} on
 * every request and by the tests that walk every handler of a service.
 */
public sealed interface EndpointAccess {

    /** Served without an identity, for the reason given. */
    record Public(String reason) implements EndpointAccess {
    }

    /** Any verified identity, whatever its scopes. */
    record AnyIdentity() implements EndpointAccess {
    }

    /** A verified identity holding at least one of {@code scopes}, or {@code admin}. */
    record AnyOf(Set<Scope> scopes) implements EndpointAccess {

        public AnyOf {
            if (scopes.isEmpty()) {
                throw new IllegalArgumentException("@RequiresScope needs at least one scope");
            }
            scopes = Collections.unmodifiableSet(EnumSet.copyOf(scopes));
        }
    }

    /** As the README tables show it: {@code public}, {@code any identity}, {@code chat or account}. */
    default String describe() {
        return switch (this) {
            case Public p -> "public";
            case AnyIdentity a -> "any identity";
            case AnyOf(Set<Scope> scopes) -> scopes.stream().map(Scope::wire).collect(Collectors.joining(" or "));
        };
    }

    /**
     * The handler's declaration, or empty when it has none.
     *
     * @throws IllegalStateException when the method or the class carries more than one of the three annotations
     */
    static Optional<EndpointAccess> of(HandlerMethod handler) {
        if (isApiDescription(handler)) {
            return Optional.of(new AnyIdentity());
        }
        return declaredOn(handler.getMethod()).or(() -> declaredOn(handler.getBeanType()));
    }

    /**
     * Spring Boot's error controller only renders the error a request already has (or a 404-like answer to a
     * direct call, which {@link EdgeFilter} lets through only with an identity); it declares nothing and needs
     * nothing.
     */
    static boolean isErrorPage(HandlerMethod handler) {
        return ErrorController.class.isAssignableFrom(handler.getBeanType());
    }

    /**
     * springdoc's {@code /v3/api-docs}, present only where a service's tests generate its OpenAPI document (see
     * {@code dev.chatplatform.kit.openapi}): any identity may read it; it is no endpoint of the service's API.
     */
    static boolean isApiDescription(HandlerMethod handler) {
        return handler.getBeanType().getName().startsWith("org.springdoc.");
    }

    private static Optional<EndpointAccess> declaredOn(AnnotatedElement element) {
        List<EndpointAccess> found = new ArrayList<>(1);
        RequiresScope scopes = AnnotatedElementUtils.findMergedAnnotation(element, RequiresScope.class);
        if (scopes != null) {
            found.add(new AnyOf(Set.of(scopes.value())));
        }
        if (AnnotatedElementUtils.hasAnnotation(element, Authenticated.class)) {
            found.add(new AnyIdentity());
        }
        PublicEndpoint open = AnnotatedElementUtils.findMergedAnnotation(element, PublicEndpoint.class);
        if (open != null) {
            found.add(new Public(open.value()));
        }
        if (found.size() > 1) {
            throw new IllegalStateException(element + " declares its access more than once: " + found);
        }
        return found.stream().findFirst();
    }
}

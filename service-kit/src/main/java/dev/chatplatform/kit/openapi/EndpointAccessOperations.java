package dev.chatplatform.kit.openapi;

import dev.chatplatform.kit.identity.Scope;
import dev.chatplatform.kit.web.EndpointAccess;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import org.springdoc.core.customizers.GlobalOperationCustomizer;
import org.springframework.util.StringUtils;
import org.springframework.web.method.HandlerMethod;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Documents each operation as {@code ScopeInterceptor} enforces it, from the same {@link EndpointAccess}
 * declaration: a public endpoint has no security requirement; any other needs the bearer credential
 * ({@value PlatformDocument#SECURITY_SCHEME}), listing the scopes that let a caller in (OpenAPI 3.1 allows role
 * names for a non-OAuth scheme), and may answer 401, and 403 {@code insufficient_scope} when it needs scopes. Every
 * operation's other errors are the shared {@code ApiError} shape. The tag is the controller's name without
 * {@code Controller} (a generated client's {@code ConversationApi}), and the operation id that followed by the
 * method's name, so it is unique across the platform's services and stable from one build to the next; a
 * controller of the kit itself, which several services serve (dead letters, jobs), has the service's name in front
 * ({@code usageServiceDeadLettersRetry}) for the same reason (springdoc's
 * own ids are method names, numbered in discovery order when they repeat).
 */
final class EndpointAccessOperations implements GlobalOperationCustomizer {

    private static final String KIT_PACKAGE = "dev.chatplatform.kit.";

    private final String service;

    EndpointAccessOperations(String service) {
        this.service = service;
    }

    @Override
    public Operation customize(Operation operation, HandlerMethod handler) {
        String id = operationId(handler);
        operation.setOperationId(handler.getBeanType().getPackageName().startsWith(KIT_PACKAGE)
                ? camelCase(service) + StringUtils.capitalize(id) : id);
        operation.setTags(List.of(tag(handler)));
        ApiResponses responses = operation.getResponses() == null ? new ApiResponses() : operation.getResponses();
        operation.setResponses(responses);
        EndpointAccess access = EndpointAccess.of(handler).orElse(null);
        switch (access) {
            case null -> {
                // refused at run time and named by the service's EndpointScopesTest; nothing to document
            }
            case EndpointAccess.Public open -> operation.setSecurity(List.of());
            case EndpointAccess.AnyIdentity any -> {
                operation.setSecurity(List.of(new SecurityRequirement().addList(PlatformDocument.SECURITY_SCHEME)));
                addIfAbsent(responses, "401", PlatformDocument.UNAUTHENTICATED);
                describe(operation, "Needs a credential (API key or OIDC token), whatever its scopes.");
            }
            case EndpointAccess.AnyOf(Set<Scope> scopes) -> {
                operation.setSecurity(List.of(new SecurityRequirement().addList(PlatformDocument.SECURITY_SCHEME,
                        scopes.stream().map(Scope::wire).toList())));
                addIfAbsent(responses, "401", PlatformDocument.UNAUTHENTICATED);
                addIfAbsent(responses, "403", PlatformDocument.INSUFFICIENT_SCOPE);
                describe(operation, "Needs the scope " + scopes.stream().map(s -> "`" + s.wire() + "`")
                        .collect(Collectors.joining(" or ")) + " (an `admin` credential has every scope).");
            }
        }
        if (handler.hasMethodAnnotation(RetryLater.class)) {
            addIfAbsent(responses, "429", PlatformDocument.TOO_MANY_REQUESTS);
            addIfAbsent(responses, "503", PlatformDocument.UNAVAILABLE);
        }
        addIfAbsent(responses, "default", PlatformDocument.ERROR);
        return operation;
    }

    static String tag(HandlerMethod handler) {
        return handler.getBeanType().getSimpleName().replaceFirst("Controller$", "");
    }

    static String operationId(HandlerMethod handler) {
        return StringUtils.uncapitalize(tag(handler)) + StringUtils.capitalize(handler.getMethod().getName());
    }

    /** {@code usage-service} to {@code usageService}. */
    private static String camelCase(String name) {
        StringBuilder out = new StringBuilder();
        for (String word : name.split("-")) {
            out.append(out.isEmpty() ? word : StringUtils.capitalize(word));
        }
        return out.toString();
    }

    private static void addIfAbsent(ApiResponses responses, String status, String component) {
        if (!responses.containsKey(status)) {
            responses.addApiResponse(status, new ApiResponse().$ref("#/components/responses/" + component));
        }
    }

    private static void describe(Operation operation, String access) {
        operation.setDescription(operation.getDescription() == null ? access : operation.getDescription() + "\n\n" + access);
    }
}

package dev.chatplatform.gateway;

import org.springframework.cloud.gateway.config.GatewayProperties;
import org.springframework.cloud.gateway.handler.predicate.PredicateDefinition;
import org.springframework.cloud.gateway.route.RouteDefinition;
import org.springframework.http.server.PathContainer;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Builds the gateway's OpenAPI document from the services' own ({@code docs/openapi/<service>.json}): an operation
 * is in it exactly when the gateway's route table sends its method and path to the service that documents it (the
 * first route that matches, as the gateway picks), so an internal or admin-only endpoint no route leads to never
 * appears, nor a service's copy of a path the gateway sends elsewhere (provider-service's own
 * {@code /v1/chat/completions}). Components come along only when a kept operation refers to them; one name with
 * two different meanings in two services is an error, not a silent pick.
 */
final class OpenApiMerge {

    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "options", "head", "patch", "trace");
    private static final Pattern REF = Pattern.compile("^#/components/(\\w+)/(.+)$");

    /** One gateway route: its id, the service it leads to (its audience), its path patterns and methods (empty: any). */
    record Route(String id, String service, List<PathPattern> paths, Set<String> methods) {

        boolean serves(String method, String path) {
            PathContainer container = PathContainer.parsePath(path);
            return (methods.isEmpty() || methods.contains(method.toUpperCase(Locale.ROOT)))
                    && paths.stream().anyMatch(p -> p.matches(container));
        }
    }

    private OpenApiMerge() {
    }

    static List<Route> routes(GatewayProperties gateway) {
        return gateway.getRoutes().stream().map(OpenApiMerge::route).toList();
    }

    private static Route route(RouteDefinition definition) {
        List<PathPattern> paths = List.of();
        Set<String> methods = Set.of();
        for (PredicateDefinition predicate : definition.getPredicates()) {
            switch (predicate.getName()) {
                case "Path" -> paths = predicate.getArgs().values().stream()
                        .map(PathPatternParser.defaultInstance::parse).toList();
                case "Method" -> methods = Set.copyOf(predicate.getArgs().values());
                default -> throw new IllegalStateException("route " + definition.getId() + ": the document does not "
                        + "know how to read its predicate " + predicate.getName() + "; teach OpenApiMerge");
            }
        }
        return new Route(definition.getId(), String.valueOf(definition.getMetadata().get("audience")), paths, methods);
    }

    /** The first route serving {@code method path}, as the gateway would pick it. */
    static Optional<Route> routeOf(List<Route> routes, String method, String path) {
        return routes.stream().filter(r -> r.serves(method, path)).findFirst();
    }

    static ObjectNode merge(List<Route> routes, Map<String, JsonNode> documents, JsonMapper json) {
        ObjectNode merged = json.createObjectNode();
        merged.put("openapi", "3.1.0");
        merged.putObject("info").put("title", "chat-platform API").put("version", "v1").put("description", """
                The platform's public HTTP API, as the gateway serves it: OpenAI-compatible chat completions and \
                models, conversations, accounts, API keys, billing, usage, flags and analytics. Authenticate with \
                `Authorization: Bearer <API key>` (or an OIDC token); each operation lists the scopes that let a \
                caller in. Every error is OpenAI's shape (`ApiError`). Merged from the services' documents; see the \
                README.""");
        ObjectNode paths = merged.putObject("paths");
        ObjectNode kept = merged.putObject("components");
        Map<String, String> keptFrom = new HashMap<>();
        ObjectNode schemes = json.createObjectNode();
        for (Map.Entry<String, JsonNode> document : new TreeMap<>(documents).entrySet()) {
            String service = document.getKey();
            ObjectNode served = json.createObjectNode();
            for (Map.Entry<String, JsonNode> path : document.getValue().path("paths").properties()) {
                for (Map.Entry<String, JsonNode> operation : path.getValue().properties()) {
                    String method = operation.getKey();
                    if (METHODS.contains(method) && routeOf(routes, method, path.getKey())
                            .filter(r -> r.service().equals(service)).isPresent()) {
                        (paths.has(path.getKey()) ? (ObjectNode) paths.get(path.getKey()) : paths.putObject(path.getKey()))
                                .set(method, operation.getValue());
                        served.set(method + " " + path.getKey(), operation.getValue());
                    }
                }
            }
            keepReferenced(served, document.getValue().path("components"), service, kept, keptFrom);
            if (document.getValue().path("components").has("securitySchemes")) {
                schemes.setAll((ObjectNode) document.getValue().path("components").path("securitySchemes"));
            }
        }
        kept.set("securitySchemes", schemes);
        return merged;
    }

    /**
     * Copies into {@code kept} every component of one service's document that {@code from} refers to, directly or
     * through other components; the same name kept from two services must mean the same thing.
     */
    private static void keepReferenced(JsonNode from, JsonNode components, String service, ObjectNode kept,
                                       Map<String, String> keptFrom) {
        Deque<JsonNode> toScan = new ArrayDeque<>(List.of(from));
        Set<String> seen = new HashSet<>();
        while (!toScan.isEmpty()) {
            for (JsonNode ref : toScan.pop().findValues("$ref")) {
                Matcher m = REF.matcher(ref.asString());
                if (!m.matches()) {
                    throw new IllegalStateException(service + ": a reference outside its components: " + ref);
                }
                if (!seen.add(ref.asString())) {
                    continue;
                }
                JsonNode component = components.path(m.group(1)).path(m.group(2));
                if (component.isMissingNode()) {
                    throw new IllegalStateException(service + " refers to " + ref.asString() + " but defines none");
                }
                ObjectNode ofKind = kept.has(m.group(1)) ? (ObjectNode) kept.get(m.group(1)) : kept.putObject(m.group(1));
                if (!ofKind.has(m.group(2))) {
                    ofKind.set(m.group(2), component);
                    keptFrom.put(ref.asString(), service);
                } else if (!ofKind.get(m.group(2)).equals(component)) {
                    throw new IllegalStateException(ref.asString() + " means different things in "
                            + keptFrom.get(ref.asString()) + " and " + service + ": give one of them another name");
                }
                toScan.push(component);
            }
        }
    }
}

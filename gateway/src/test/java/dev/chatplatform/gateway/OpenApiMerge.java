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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Builds the gateway's OpenAPI document from the services' own ({@code docs/openapi/<service>.json}): an operation
 * is in it exactly when the gateway's route table sends its method and path to the service that documents it (the
 * first route that matches, as the gateway picks), so an internal or admin-only endpoint no route leads to never
 * appears, nor a service's copy of a path the gateway sends elsewhere (provider-service's own
 * {@code /v1/chat/completions}). Components come along only when a kept operation refers to them; a name another
 * service (earlier in alphabetical order) already gave to something else gets the service's name in front
 * ({@code Plan} of rollout-service becomes {@code RolloutPlan}), with every reference to it.
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
        ObjectNode schemes = json.createObjectNode();
        for (Map.Entry<String, JsonNode> document : new TreeMap<>(documents).entrySet()) {
            String service = document.getKey();
            JsonNode components = document.getValue().path("components");
            Map<String, JsonNode> served = new LinkedHashMap<>(); // "path method" -> operation
            for (Map.Entry<String, JsonNode> path : document.getValue().path("paths").properties()) {
                for (Map.Entry<String, JsonNode> operation : path.getValue().properties()) {
                    if (METHODS.contains(operation.getKey()) && routeOf(routes, operation.getKey(), path.getKey())
                            .filter(r -> r.service().equals(service)).isPresent()) {
                        served.put(path.getKey() + " " + operation.getKey(), operation.getValue());
                    }
                }
            }
            Map<String, String> renamed = new HashMap<>();
            Set<String> referenced = referenced(served.values(), components, service);
            for (String ref : referenced) {
                JsonNode before = component(kept, ref);
                if (!before.isMissingNode() && !before.equals(component(components, ref))) {
                    renamed.put(ref, ref.substring(0, ref.lastIndexOf('/') + 1) + prefix(service)
                            + ref.substring(ref.lastIndexOf('/') + 1));
                }
            }
            served.forEach((key, operation) -> {
                String path = key.substring(0, key.lastIndexOf(' '));
                (paths.has(path) ? (ObjectNode) paths.get(path) : paths.putObject(path))
                        .set(key.substring(key.lastIndexOf(' ') + 1), rewrite(operation, renamed));
            });
            for (String ref : referenced) {
                String name = renamed.getOrDefault(ref, ref);
                JsonNode component = rewrite(component(components, ref), renamed);
                String[] kindAndName = name.substring("#/components/".length()).split("/", 2);
                ObjectNode ofKind = kept.has(kindAndName[0]) ? (ObjectNode) kept.get(kindAndName[0])
                        : kept.putObject(kindAndName[0]);
                if (ofKind.has(kindAndName[1]) && !ofKind.get(kindAndName[1]).equals(component)) {
                    throw new IllegalStateException(name + " of " + service + " means something else in another "
                            + "service even after renaming: give one of them another name");
                }
                ofKind.set(kindAndName[1], component);
            }
            if (components.has("securitySchemes")) {
                schemes.setAll((ObjectNode) components.path("securitySchemes"));
            }
        }
        kept.set("securitySchemes", schemes);
        return merged;
    }

    /** Every component {@code operations} refer to, directly or through other components of the same document. */
    private static Set<String> referenced(Iterable<JsonNode> operations, JsonNode components, String service) {
        Set<String> found = new TreeSet<>();
        Deque<JsonNode> toScan = new ArrayDeque<>();
        operations.forEach(toScan::push);
        while (!toScan.isEmpty()) {
            for (JsonNode ref : toScan.pop().findValues("$ref")) {
                if (!REF.matcher(ref.asString()).matches()) {
                    throw new IllegalStateException(service + ": a reference outside its components: " + ref);
                }
                if (found.add(ref.asString())) {
                    JsonNode component = component(components, ref.asString());
                    if (component.isMissingNode()) {
                        throw new IllegalStateException(service + " refers to " + ref.asString() + " but defines none");
                    }
                    toScan.push(component);
                }
            }
        }
        return found;
    }

    private static JsonNode component(JsonNode components, String ref) {
        return components.at(ref.substring("#/components".length()));
    }

    /** A copy of {@code node} whose references to renamed components name the new ones. */
    private static JsonNode rewrite(JsonNode node, Map<String, String> renamed) {
        JsonNode copy = node.deepCopy();
        if (!renamed.isEmpty()) {
            Deque<JsonNode> toVisit = new ArrayDeque<>(List.of(copy));
            while (!toVisit.isEmpty()) {
                JsonNode next = toVisit.pop();
                if (next instanceof ObjectNode object && object.has("$ref") && renamed.containsKey(object.get("$ref").asString())) {
                    object.put("$ref", renamed.get(object.get("$ref").asString()));
                }
                next.valueStream().forEach(toVisit::push);
            }
        }
        return copy;
    }

    /** {@code rollout-service} -> {@code Rollout}: how a component another service already names is renamed. */
    private static String prefix(String service) {
        String name = service.replaceFirst("-service$", "");
        return Character.toUpperCase(name.charAt(0)) + name.substring(1);
    }
}

package dev.chatplatform.testkit;

import dev.chatplatform.kit.config.PlatformProperties;
import dev.chatplatform.kit.identity.IdentityTokens;
import dev.chatplatform.kit.identity.Scope;
import dev.chatplatform.kit.web.EndpointAccess;
import org.springframework.context.ApplicationContext;
import org.springframework.http.HttpHeaders;
import org.springframework.util.AntPathMatcher;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The endpoint-scope rules every MVC service keeps, checked on its running application context (one test per
 * service): every handler declares its access ({@code @RequiresScope}, {@code @Authenticated} or
 * {@code @PublicEndpoint}), every public handler's path is in {@code platform.identity.public-paths}, every
 * endpoint answers callers with and without its scopes as declared, and the service README's endpoint table is
 * exactly what the handlers declare.
 */
public final class EndpointScopes {

    /** The README table sits between these two lines. */
    public static final String BEGIN = "<!-- endpoint-scopes: generated from the handlers; EndpointScopesTest fails when they differ -->";
    public static final String END = "<!-- /endpoint-scopes -->";

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final List<RequestMethod> METHOD_ORDER = List.of(RequestMethod.GET, RequestMethod.POST,
            RequestMethod.PUT, RequestMethod.PATCH, RequestMethod.DELETE);

    /** One path and method set of one handler, and what it declares (empty: nothing). */
    public record Endpoint(String methods, String path, Optional<EndpointAccess> access, String handler) {
    }

    /** An answer: its status, its body and, for an error, the error's {@code code}. */
    public record Reply(int status, String body) {

        private static final JsonMapper JSON = JsonMapper.builder().build();

        public String errorCode() {
            return body.isEmpty() ? null : JSON.readTree(body).path("error").path("code").asString(null);
        }

        public JsonNode json() {
            return JSON.readTree(body);
        }
    }

    private EndpointScopes() {
    }

    /** Every handler of every {@link RequestMappingHandlerMapping} in {@code context}, sorted by path. */
    public static List<Endpoint> of(ApplicationContext context) {
        List<Endpoint> endpoints = new ArrayList<>();
        for (RequestMappingHandlerMapping mapping : context.getBeansOfType(RequestMappingHandlerMapping.class).values()) {
            for (Map.Entry<RequestMappingInfo, HandlerMethod> entry : mapping.getHandlerMethods().entrySet()) {
                HandlerMethod handler = entry.getValue();
                if (EndpointAccess.isErrorPage(handler) || EndpointAccess.isApiDescription(handler)) {
                    continue;
                }
                String methods = entry.getKey().getMethodsCondition().getMethods().stream()
                        .sorted(Comparator.comparingInt(EndpointScopes::order)).map(Enum::name)
                        .collect(Collectors.joining(", "));
                for (String path : entry.getKey().getPatternValues()) {
                    endpoints.add(new Endpoint(methods.isEmpty() ? "any" : methods, path, EndpointAccess.of(handler),
                            handler.getBeanType().getSimpleName() + "." + handler.getMethod().getName()));
                }
            }
        }
        endpoints.sort(Comparator.comparing(Endpoint::path).thenComparing(e -> order(e.methods())));
        return endpoints;
    }

    /**
     * Fails naming every handler that declares no access, and every public handler that {@code EdgeFilter} would
     * still refuse for want of an identity.
     */
    public static void assertEveryEndpointDeclaresItsAccess(ApplicationContext context) {
        List<Endpoint> endpoints = of(context);
        assertThat(endpoints).as("handlers of this service").isNotEmpty();
        assertThat(endpoints).filteredOn(e -> e.access().isEmpty())
                .as("handlers without @RequiresScope, @Authenticated or @PublicEndpoint")
                .extracting(e -> e.methods() + " " + e.path() + " (" + e.handler() + ")")
                .isEmpty();
        List<String> publicPaths = context.getBean(PlatformProperties.class).identity().publicPaths();
        AntPathMatcher matcher = new AntPathMatcher();
        assertThat(endpoints).filteredOn(e -> e.access().orElse(null) instanceof EndpointAccess.Public)
                .as("@PublicEndpoint handlers whose path is not in platform.identity.public-paths " + publicPaths)
                .extracting(Endpoint::path)
                .allMatch(path -> publicPaths.stream().anyMatch(p -> matcher.match(p, path)));
    }

    /**
     * Calls every endpoint of the service listening on {@code port} over HTTP, as the gateway would, and checks
     * the answer of the scope check: without an identity 401 (unless public); with an identity holding every scope
     * but the ones the endpoint accepts, 403 {@code insufficient_scope} naming them; with each accepted scope
     * alone, and with {@code admin}, neither 401 nor 403. Path variables are an id nobody has, the identities'
     * account exists nowhere and the body is malformed JSON, so a call that passes the check stops at a 400 or 404
     * instead of changing anything.
     */
    public static void assertEveryEndpointEnforcesItsScopes(ApplicationContext context, int port) {
        List<String> failures = new ArrayList<>();
        for (Endpoint e : of(context)) {
            EndpointAccess access = e.access().orElseThrow(() -> new AssertionError(e.handler() + " declares no access"));
            String method = e.methods().equals("any") ? "GET" : e.methods().split(", ")[0];
            String path = e.path().replaceAll("\\{[^}]+}", "no-such-id");
            String where = method + " " + e.path() + " (" + access.describe() + ")";
            if (access instanceof EndpointAccess.Public) {
                continue;
            }
            expect(failures, where + " without an identity", send(port, method, path, (String[]) null), 401, null);
            if (access instanceof EndpointAccess.AnyOf(Set<Scope> accepted)) {
                Set<Scope> others = EnumSet.complementOf(EnumSet.copyOf(accepted));
                others.remove(Scope.ADMIN);
                String[] wrong = others.stream().map(Scope::wire).toArray(String[]::new);
                expect(failures, where + " with " + others, send(port, method, path, wrong), 403, accepted);
                for (Scope scope : accepted) {
                    passes(failures, where + " with " + scope, send(port, method, path, scope.wire()));
                }
            } else {
                passes(failures, where + " with no scope", send(port, method, path));
            }
            passes(failures, where + " with admin", send(port, method, path, Scope.ADMIN.wire()));
        }
        assertThat(failures).as("endpoints that do not answer as they declare").isEmpty();
    }

    /** Calls the service on {@code port} as the gateway would, with {@code identity}'s headers (or none). */
    public static Reply call(int port, String method, String path, HttpHeaders identity, String jsonBody) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .timeout(Duration.ofSeconds(20))
                .method(method, jsonBody == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(jsonBody));
        if (jsonBody != null) {
            request.header("Content-Type", "application/json");
        }
        if (identity != null) {
            identity.forEach((name, values) -> values.forEach(v -> request.header(name, v)));
        }
        try {
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Reply(response.statusCode(), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + path, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void expect(List<String> failures, String what, Reply reply, int status, Set<Scope> named) {
        boolean ok = reply.status() == status && (named == null || "insufficient_scope".equals(reply.errorCode())
                && named.stream().allMatch(s -> reply.body().contains("'" + s.wire() + "'")));
        if (!ok) {
            failures.add(what + ": expected " + status + (named == null ? "" : " insufficient_scope naming " + named)
                    + ", got " + reply.status() + " " + reply.body());
        }
    }

    private static void passes(List<String> failures, String what, Reply reply) {
        if (reply.status() == 401 || reply.status() == 403) {
            failures.add(what + ": refused with " + reply.status() + " " + reply.body());
        }
    }

    /**
     * A call whose body (malformed JSON, none for a GET) cannot change anything, as an identity of an account that
     * exists nowhere holding {@code scopes}; {@code scopes} null: no identity at all.
     */
    private static Reply send(int port, String method, String path, String... scopes) {
        HttpHeaders identity = scopes == null ? null
                : TestIdentities.headers(TestIdentities.token("scope-sweep-account", scopes));
        return call(port, method, path, identity, method.equals("GET") ? null : "{");
    }

    /** The markdown table of {@code endpoints}: method, path, scopes needed. */
    public static String table(List<Endpoint> endpoints) {
        StringBuilder out = new StringBuilder("| method | path | needs |\n|---|---|---|\n");
        for (Endpoint e : endpoints) {
            out.append("| ").append(e.methods()).append(" | `").append(e.path()).append("` | ")
                    .append(e.access().map(EndpointAccess::describe).orElse("**nothing declared**")).append(" |\n");
        }
        return out.toString();
    }

    /**
     * Fails unless {@code readme} holds exactly the table of {@code context}'s handlers between {@link #BEGIN} and
     * {@link #END}; the table it expects is also written to {@code target/endpoint-scopes.md}, to paste.
     */
    public static void assertReadmeTableMatches(ApplicationContext context, Path readme) {
        String text;
        String expected = table(of(context));
        try {
            text = Files.readString(readme);
            Files.createDirectories(Path.of("target"));
            Files.writeString(Path.of("target", "endpoint-scopes.md"), expected);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int begin = text.indexOf(BEGIN);
        int end = text.indexOf(END);
        assertThat(begin).as(readme + " has no line " + BEGIN + "; add it, this table and " + END + ":\n" + expected)
                .isNotNegative();
        assertThat(end).as(readme + " has no line " + END).isGreaterThan(begin);
        assertThat(text.substring(begin + BEGIN.length(), end).strip())
                .as("the endpoint table in " + readme + " (replace it with the expected one)")
                .isEqualTo(expected.strip());
    }

    private static int order(RequestMethod method) {
        int i = METHOD_ORDER.indexOf(method);
        return i < 0 ? METHOD_ORDER.size() + method.ordinal() : i;
    }

    private static int order(String methods) {
        String first = methods.split(",")[0];
        return first.equals("any") ? -1 : order(RequestMethod.valueOf(first));
    }
}

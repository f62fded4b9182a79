package dev.chatplatform.gateway;

import dev.chatplatform.gateway.auth.AuthenticationProperties;
import io.swagger.parser.OpenAPIParser;
import io.swagger.v3.oas.models.SpecVersion;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.cloud.gateway.config.GatewayProperties;
import org.springframework.http.server.PathContainer;
import org.springframework.web.util.pattern.PathPatternParser;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.cfg.JsonNodeFeature;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The platform's OpenAPI document ({@code src/main/resources/openapi/openapi.json}, served at
 * {@code /v1/openapi.json}) is the services' documents ({@code docs/openapi}) merged along the gateway's route
 * table ({@link OpenApiMerge}): this test fails when the committed file is not that merge, when a route the
 * gateway serves has no operation in it, when an operation is one the gateway does not route to the service that
 * documents it, and when the document is not valid OpenAPI 3.1. The services' own tests keep their documents
 * equal to their handlers ({@code OpenApiDocuments} in the test kit), so every endpoint the gateway routes is here.
 */
class OpenApiDocumentTest extends GatewayIntegrationTest {

    private static final Path SERVICE_DOCUMENTS = Path.of("..", "docs", "openapi");
    private static final Path COMMITTED = Path.of("src", "main", "resources", "openapi", "openapi.json");
    private static final JsonMapper PRETTY = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT)
            .enable(JsonNodeFeature.WRITE_PROPERTIES_SORTED).build();

    @Autowired
    GatewayProperties gateway;

    @Autowired
    AuthenticationProperties authentication;

    @Test
    void theCommittedDocumentIsTheServicesDocumentsMergedAlongTheRoutes() throws IOException {
        String merged = PRETTY.writeValueAsString(OpenApiMerge.merge(OpenApiMerge.routes(gateway), serviceDocuments(),
                PRETTY)) + "\n";
        Path generated = Path.of("target", "openapi", "openapi.json");
        Files.createDirectories(generated.getParent());
        Files.writeString(generated, merged);
        assertThat(merged).as("the committed " + COMMITTED + " is not the merge of docs/openapi along the routes; "
                + "review and copy it: cp " + generated.toAbsolutePath() + " " + COMMITTED.toAbsolutePath())
                .isEqualTo(Files.readString(COMMITTED));
    }

    @Test
    void everyRouteTheGatewayServesIsInTheDocumentAndNothingElse() throws IOException {
        List<OpenApiMerge.Route> routes = OpenApiMerge.routes(gateway);
        JsonNode document = PRETTY.readTree(COMMITTED.toFile());
        Map<String, List<String>> operationsByRoute = new TreeMap<>();
        routes.forEach(r -> operationsByRoute.put(r.id(), new ArrayList<>()));
        List<String> notRouted = new ArrayList<>();
        for (Map.Entry<String, JsonNode> path : document.path("paths").properties()) {
            for (String method : path.getValue().propertyNames()) {
                OpenApiMerge.routeOf(routes, method, path.getKey()).ifPresentOrElse(
                        r -> operationsByRoute.get(r.id()).add(method + " " + path.getKey()),
                        () -> notRouted.add(method + " " + path.getKey()));
            }
        }
        assertThat(notRouted).as("operations no gateway route serves").isEmpty();
        assertThat(operationsByRoute).as("routes without any operation in the document")
                .allSatisfy((route, operations) -> assertThat(operations).as(route).isNotEmpty());
        assertThat(operationsByRoute.get("chat-completions")).containsExactly("post /v1/chat/completions");
        assertThat(operationsByRoute.get("models")).contains("get /v1/models", "get /v1/models/{id}");
        assertThat(operationsByRoute.get("stripe-webhooks")).containsExactly("post /webhooks/stripe");
        assertThat(serviceDocuments().keySet()).as("a document for every service a route leads to")
                .containsAll(routes.stream().map(OpenApiMerge.Route::service).toList());
    }

    @Test
    void theDocumentIsValidOpenApi31WithUniqueOperationIdsAndTheErrorShape() throws IOException {
        String text = Files.readString(COMMITTED);
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        SwaggerParseResult result = new OpenAPIParser().readContents(text, null, options);
        assertThat(result.getMessages()).as("OpenAPI validation messages").isEmpty();
        assertThat(result.getOpenAPI().getSpecVersion()).isEqualTo(SpecVersion.V31);

        JsonNode document = PRETTY.readTree(text);
        List<String> ids = operations(document).map(o -> o.path("operationId").asString()).toList();
        assertThat(ids).doesNotHaveDuplicates().doesNotContain("");
        assertThat(document.at("/components/schemas/ApiError/properties/error/required").toString())
                .contains("message", "type", "code", "param");
        assertThat(document.at("/components/securitySchemes/bearer/scheme").asString()).isEqualTo("bearer");
        assertThat(document.at("/paths/~1v1~1models/get/security/0/bearer").toString()).contains("chat");
    }

    /** An operation that needs no credential must be one the gateway lets through without a key, and vice versa. */
    @Test
    void operationsWithoutSecurityAreExactlyThePublicOnes() {
        JsonNode document = PRETTY.readTree(COMMITTED.toFile());
        List<String> mismatched = new ArrayList<>();
        for (Map.Entry<String, JsonNode> path : document.path("paths").properties()) {
            PathContainer concrete = PathContainer.parsePath(path.getKey().replaceAll("\\{[^}]+}", "x"));
            boolean publicAtTheGateway = authentication.publicPaths().stream()
                    .anyMatch(p -> PathPatternParser.defaultInstance.parse(p).matches(concrete));
            for (Map.Entry<String, JsonNode> operation : path.getValue().properties()) {
                boolean documentedPublic = operation.getValue().path("security").isEmpty();
                if (documentedPublic != publicAtTheGateway) {
                    mismatched.add(operation.getKey() + " " + path.getKey() + (documentedPublic
                            ? " is documented public but the gateway asks for a key"
                            : " needs a credential but the gateway serves it without one"));
                }
            }
        }
        assertThat(mismatched).isEmpty();
    }

    @Test
    void theDocumentAndSwaggerUiAreServedWithoutAKey() throws IOException {
        HttpResponse<String> document = get("/v1/openapi.json");
        assertThat(document.statusCode()).isEqualTo(200);
        assertThat(document.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        assertThat(document.body()).isEqualTo(Files.readString(COMMITTED));

        HttpResponse<String> page = get("/docs");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("/docs/swagger-ui/swagger-ui-bundle.js", "/docs/assets/start.js");
        assertThat(page.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(p -> assertThat(p).contains("script-src 'self'"));
        for (String asset : List.of("/docs/swagger-ui/swagger-ui-bundle.js", "/docs/swagger-ui/swagger-ui.css", "/docs/assets/start.js")) {
            HttpResponse<String> file = get(asset);
            assertThat(file.statusCode()).as(asset).isEqualTo(200);
            assertThat(file.body()).as(asset).isNotEmpty();
        }
        assertThat(get("/docs/assets/start.js").body()).contains("/v1/openapi.json");
        assertThat(get("/docs/no-such-file").statusCode()).isEqualTo(404);
    }

    private static Map<String, JsonNode> serviceDocuments() throws IOException {
        Map<String, JsonNode> documents = new TreeMap<>();
        try (Stream<Path> files = Files.list(SERVICE_DOCUMENTS)) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith("-service.json")).toList()) {
                documents.put(file.getFileName().toString().replace(".json", ""), PRETTY.readTree(file.toFile()));
            }
        }
        return documents;
    }

    private static Stream<JsonNode> operations(JsonNode document) {
        return document.path("paths").valueStream().flatMap(JsonNode::valueStream);
    }
}

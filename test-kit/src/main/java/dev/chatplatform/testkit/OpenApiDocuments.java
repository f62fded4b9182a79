package dev.chatplatform.testkit;

import org.springframework.context.ApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.cfg.JsonNodeFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A service's OpenAPI document, as springdoc generates it from the service's handlers (with service-kit's
 * conventions), is committed under {@code docs/openapi/<service>.json}; the gateway's document is merged from
 * those files. One test per service calls {@link #assertCommittedDocumentIsCurrent}: it fails when a handler is
 * missing from the generated document, and when the committed file differs from what the code generates, writing
 * the current one to {@code target/openapi/} to copy over.
 */
public final class OpenApiDocuments {

    /** Where the committed documents are, from a service module's directory (the tests' working directory). */
    public static final Path COMMITTED = Path.of("..", "docs", "openapi");

    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(JsonNodeFeature.WRITE_PROPERTIES_SORTED)
            .build();

    private OpenApiDocuments() {
    }

    /**
     * Fetches {@code /v3/api-docs} from the service on {@code port}, checks it is OpenAPI 3.1 and documents every
     * handler of {@code context}, and compares it with {@code docs/openapi/<service>.json}.
     */
    public static void assertCommittedDocumentIsCurrent(ApplicationContext context, int port, String service) {
        EndpointScopes.Reply reply = EndpointScopes.call(port, "GET", "/v3/api-docs",
                TestIdentities.headers(TestIdentities.token("openapi-document", "admin")), null);
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        ObjectNode document = (ObjectNode) reply.json();
        document.remove("servers"); // springdoc adds the test's random port when the document names none
        assertThat(document.path("openapi").asString()).startsWith("3.1");

        JsonNode paths = document.path("paths");
        List<String> missing = EndpointScopes.of(context).stream()
                .flatMap(e -> List.of(e.methods().split(", ")).stream()
                        .filter(m -> m.equals("any") ? !paths.has(e.path()) : !paths.path(e.path()).has(m.toLowerCase(Locale.ROOT)))
                        .map(m -> m + " " + e.path() + " (" + e.handler() + ")"))
                .toList();
        assertThat(missing).as("handlers missing from the generated OpenAPI document").isEmpty();

        String current = JSON.writeValueAsString(document) + "\n";
        Path committed = COMMITTED.resolve(service + ".json");
        Path generated = Path.of("target", "openapi", service + ".json");
        try {
            Files.createDirectories(generated.getParent());
            Files.writeString(generated, current);
            String expected = Files.exists(committed) ? Files.readString(committed) : "";
            assertThat(current).as("the committed " + committed.normalize() + " is not what the code generates; "
                    + "review and copy the current one: cp " + generated.toAbsolutePath() + " "
                    + committed.toAbsolutePath().normalize()).isEqualTo(expected);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

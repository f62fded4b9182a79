package dev.chatplatform.gateway;

import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/** The web console at {@code /}: its pages and files without a key, and never in the way of the API. */
class ConsoleServingTest extends GatewayIntegrationTest {

    @Test
    void everyConsolePathIsTheConsolePageWithItsSecurityHeadersAndNoKeyNeeded() {
        for (String path : new String[]{"/", "/chat", "/chat/conv_123", "/usage", "/billing/success", "/keys"}) {
            HttpResponse<String> page = get(path);
            assertThat(page.statusCode()).as(path).isEqualTo(200);
            assertThat(page.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/html");
            assertThat(page.body()).contains("<div id=\"app\"").contains("/assets/js/main.js")
                    .contains("<meta name=\"console-config\" content=\"{}\">");
            String policy = page.headers().firstValue("Content-Security-Policy").orElseThrow();
            assertThat(policy).contains("script-src 'self';").contains("connect-src 'self';")
                    .contains("frame-ancestors 'none'");
            assertThat(page.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
        }
    }

    @Test
    void theConsolesFilesAndItsWebJarsAreServedWithTheVersionsTheBuildWroteIn() {
        HttpResponse<String> main = get("/assets/js/main.js");
        assertThat(main.statusCode()).isEqualTo(200);
        assertThat(main.headers().firstValue("Content-Type").orElseThrow()).contains("javascript");
        assertThat(main.headers().firstValue("Cache-Control").orElseThrow()).contains("no-cache");

        String shim = get("/assets/js/lib/marked.js").body();
        String library = shim.substring(shim.indexOf("'/webjars/") + 1, shim.lastIndexOf('\''));
        assertThat(library).doesNotContain("@");
        HttpResponse<String> marked = get(library);
        assertThat(marked.statusCode()).as(library).isEqualTo(200);
        assertThat(marked.headers().firstValue("Cache-Control").orElseThrow()).contains("max-age=31536000");
        assertThat(get("/assets/does-not-exist.js").statusCode()).isEqualTo(404);
    }

    @Test
    void apiPathsAreNeverTheConsoles() {
        for (String path : new String[]{"/v1/nothing-here", "/api/v1/nothing-here", "/api/v1/conversations"}) {
            HttpResponse<String> response = get(path);
            assertThat(response.statusCode()).as(path).isEqualTo(401);
            assertThat(body(response).path("error").path("code").asString()).isEqualTo("missing_api_key");
        }
        HttpResponse<String> post = send(HttpRequest.newBuilder(uri("/chat"))
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build());
        assertThat(post.statusCode()).as("only GET and HEAD are the console's").isEqualTo(401);
    }

    private HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(uri(path)).GET().build());
    }
}

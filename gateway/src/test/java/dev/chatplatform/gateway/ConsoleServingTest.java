package dev.chatplatform.gateway;

import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The web console at {@code /}: its pages and files without a key, and never in the way of the API. */
class ConsoleServingTest extends GatewayIntegrationTest {

    @Test
    void everyConsolePathIsTheConsolePageWithItsSecurityHeadersAndNoKeyNeeded() {
        for (String path : new String[]{"/", "/chat", "/chat/conv_123", "/usage", "/billing/success", "/keys"}) {
            HttpResponse<String> page = get(path);
            assertThat(page.statusCode()).as(path).isEqualTo(200);
            assertThat(page.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/html");
            assertThat(page.body()).contains("<div id=\"app\"").containsPattern("\"/assets/v[0-9a-f]{12}/js/main.js\"")
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
    void thePageNamesItsFilesByVersionSoTheBrowserKeepsThemWhileThePageItselfIsAlwaysAskedFor() {
        HttpResponse<String> page = get("/chat");
        assertThat(page.headers().firstValue("Cache-Control").orElseThrow()).contains("no-cache");
        Matcher preload = Pattern.compile("<link rel=\"modulepreload\" href=\"([^\"]+)\">").matcher(page.body());
        List<String> modules = preload.results().map(m -> m.group(1)).toList();
        assertThat(modules).as("the chat page's modules are preloaded")
                .anyMatch(module -> module.matches("/assets/v[0-9a-f]{12}/js/pages/chat\\.js"));
        for (String module : modules) {
            HttpResponse<String> response = get(module);
            assertThat(response.statusCode()).as(module).isEqualTo(200);
            assertThat(response.headers().firstValue("Content-Type").orElseThrow()).as(module).contains("javascript");
            assertThat(response.headers().firstValue("Cache-Control").orElseThrow()).as(module)
                    .contains("max-age=31536000").contains("immutable");
        }
        String version = modules.getFirst().split("/")[2];
        assertThat(get("/assets/v000000000000/js/main.js").statusCode()).as("another build's files").isEqualTo(404);
        assertThat(get("/assets/" + version + "/does-not-exist.js").statusCode()).isEqualTo(404);
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

package dev.chatplatform.analytics;

import dev.chatplatform.kit.identity.IdentityTokens;
import dev.chatplatform.testkit.TestIdentities;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Calls the service's analytics API as an analyst (or with the given identity token). */
public record AnalyticsApi(int port, JsonMapper json) {

    public static final String ANALYST = TestIdentities.token("analyst-1", "analyst");

    public JsonNode get(String uri) {
        return json.readTree(raw(uri, ANALYST));
    }

    public String raw(String uri, String token) {
        return client().get().uri(uri).headers(h -> {
            if (token != null) {
                h.set(IdentityTokens.HEADER, token);
            }
        }).exchange((req, res) -> res.bodyTo(String.class));
    }

    public int status(String uri, String token) {
        return client().get().uri(uri).headers(h -> {
            if (token != null) {
                h.set(IdentityTokens.HEADER, token);
            }
        }).exchange((req, res) -> res.getStatusCode().value());
    }

    public RestClient client() {
        return RestClient.create("http://localhost:" + port);
    }
}

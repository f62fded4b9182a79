package dev.chatplatform.analytics;

import dev.chatplatform.testkit.EndpointScopes;
import dev.chatplatform.testkit.OpenApiDocuments;
import dev.chatplatform.testkit.PlatformIntegrationTest;
import dev.chatplatform.testkit.TestIdentities;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import tools.jackson.databind.json.JsonMapper;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Every endpoint declares its scopes, answers as it declares, and is in the README's table. */
@PlatformIntegrationTest
class EndpointScopesTest {

    @Autowired
    ApplicationContext context;

    @LocalServerPort
    int port;

    @Autowired
    JsonMapper json;

    @Test
    void everyEndpointDeclaresItsScopes() {
        EndpointScopes.assertEveryEndpointDeclaresItsAccess(context);
    }

    @Test
    void everyEndpointAnswersAsItDeclares() {
        EndpointScopes.assertEveryEndpointEnforcesItsScopes(context, port);
    }

    @Test
    void theReadmeListsEveryEndpointWithTheScopesItNeeds() {
        EndpointScopes.assertReadmeTableMatches(context, Path.of("README.md"));
    }

    @Test
    void theCommittedOpenApiDocumentIsWhatTheHandlersDeclare() {
        OpenApiDocuments.assertCommittedDocumentIsCurrent(context, port, "analytics-service");
    }

    @Test
    void onlyAnalystsAndAdminsReadAnalyticsWhileTheDashboardPageIsPublic() {
        AnalyticsApi api = new AnalyticsApi(port, json);
        String uri = "/api/v1/analytics/usage";
        assertThat(api.status(uri, TestIdentities.token("acc-1", "chat", "account"))).isEqualTo(403);
        assertThat(api.raw(uri, TestIdentities.token("acc-1", "chat", "account")))
                .contains("\"code\":\"insufficient_scope\"").contains("'analyst'");
        assertThat(api.status(uri, null)).isEqualTo(401);
        assertThat(api.status(uri, TestIdentities.token("acc-1", "analyst"))).isEqualTo(200);
        assertThat(api.status(uri, TestIdentities.token("acc-1", "admin"))).isEqualTo(200);
        assertThat(api.status("/api/v1/analytics/dashboard/", null)).isEqualTo(200);
    }
}

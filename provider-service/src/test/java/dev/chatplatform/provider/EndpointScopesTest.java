package dev.chatplatform.provider;

import dev.chatplatform.testkit.EndpointScopes;
import dev.chatplatform.testkit.OpenApiDocuments;
import dev.chatplatform.testkit.PlatformIntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.test.context.TestPropertySource;

import java.nio.file.Path;

/**
 * Every endpoint declares its scopes, answers as it declares, and is in the README's table. Same configuration as
 * {@link ProviderServiceIntegrationTest}, so both share one Spring context.
 */
@PlatformIntegrationTest
@TestPropertySource(properties = {"provider.simulated.first-token-delay=300ms", "provider.simulated.tokens-per-second=2000"})
class EndpointScopesTest {

    @Autowired
    ApplicationContext context;

    @LocalServerPort
    int port;

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
        OpenApiDocuments.assertCommittedDocumentIsCurrent(context, port, "provider-service");
    }
}

package dev.chatplatform.usage;

import dev.chatplatform.testkit.EndpointScopes;
import dev.chatplatform.testkit.OpenApiDocuments;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;

import java.nio.file.Path;

/**
 * Every endpoint declares its scopes, answers as it declares, and is in the README's table. Extends
 * {@link UsageIntegrationTest} to share its Spring context.
 */
class EndpointScopesTest extends UsageIntegrationTest {

    @Autowired
    ApplicationContext context;

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
        OpenApiDocuments.assertCommittedDocumentIsCurrent(context, port, "usage-service");
    }
}

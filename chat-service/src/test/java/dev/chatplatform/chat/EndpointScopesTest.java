package dev.chatplatform.chat;

import dev.chatplatform.testkit.EndpointScopes;
import dev.chatplatform.testkit.OpenApiDocuments;
import dev.chatplatform.testkit.EndpointScopes.Reply;
import dev.chatplatform.testkit.PlatformIntegrationTest;
import dev.chatplatform.testkit.TestIdentities;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.http.HttpHeaders;
import org.springframework.jdbc.core.simple.JdbcClient;

import java.nio.file.Path;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Every endpoint declares its scopes, answers as it declares, and is in the README's table. */
@PlatformIntegrationTest
class EndpointScopesTest {

    @Autowired
    ApplicationContext context;

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

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
        OpenApiDocuments.assertCommittedDocumentIsCurrent(context, port, "chat-service");
    }

    /** Issue 13: a key made with only {@code analyst} created conversations. */
    @Test
    void aKeyWithoutTheChatScopeCannotCreateChangeOrDeleteConversations() {
        String accountId = "acc-scopes-" + UUID.randomUUID();
        Reply created = EndpointScopes.call(port, "POST", "/api/v1/conversations", TestIdentities.chatCaller(accountId),
                "{\"title\":\"Mine\"}");
        assertThat(created.status()).isEqualTo(201);
        String id = created.json().path("id").asString();

        for (HttpHeaders caller : new HttpHeaders[]{TestIdentities.analyst(accountId),
                TestIdentities.headers(TestIdentities.token(accountId, "account"))}) {
            assertRefused(EndpointScopes.call(port, "POST", "/api/v1/conversations", caller, "{}"));
            assertRefused(EndpointScopes.call(port, "PATCH", "/api/v1/conversations/" + id, caller, "{\"title\":\"Theirs\"}"));
            assertRefused(EndpointScopes.call(port, "DELETE", "/api/v1/conversations/" + id, caller, null));
            assertRefused(EndpointScopes.call(port, "GET", "/api/v1/conversations/" + id, caller, null));
        }

        assertThat(jdbc.sql("select title from conversations where account_id = :account").param("account", accountId)
                .query(String.class).list()).containsExactly("Mine");
    }

    private static void assertRefused(Reply reply) {
        assertThat(reply.status()).as(reply.body()).isEqualTo(403);
        assertThat(reply.errorCode()).isEqualTo("insufficient_scope");
        assertThat(reply.body()).contains("'chat'");
    }
}

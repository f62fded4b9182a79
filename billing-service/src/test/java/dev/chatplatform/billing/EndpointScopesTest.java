package dev.chatplatform.billing;

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
        OpenApiDocuments.assertCommittedDocumentIsCurrent(context, port, "billing-service");
    }

    /** Issue 13: a key made with only {@code analyst} (or only {@code chat}) revoked keys, renamed and deleted its account. */
    @Test
    void aKeyWithoutTheAccountScopeCannotManageItsAccountOrItsKeys() {
        HttpHeaders admin = TestIdentities.admin("platform-admin");
        Reply account = EndpointScopes.call(port, "POST", "/api/v1/admin/accounts", admin,
                "{\"email\":\"scopes-" + UUID.randomUUID() + "@example.com\",\"name\":\"Ada\"}");
        assertThat(account.status()).isEqualTo(201);
        String accountId = account.json().path("id").asString();
        String keyId = EndpointScopes.call(port, "POST", "/api/v1/admin/accounts/" + accountId + "/api-keys", admin,
                "{\"scopes\":[\"chat\"]}").json().path("id").asString();

        for (HttpHeaders caller : new HttpHeaders[]{TestIdentities.analyst(accountId), TestIdentities.chatCaller(accountId)}) {
            assertRefused(EndpointScopes.call(port, "DELETE", "/api/v1/api-keys/" + keyId, caller, null));
            assertRefused(EndpointScopes.call(port, "POST", "/api/v1/api-keys", caller, "{\"scopes\":[\"chat\"]}"));
            assertRefused(EndpointScopes.call(port, "PATCH", "/api/v1/accounts/me", caller, "{\"name\":\"Mallory\"}"));
            assertRefused(EndpointScopes.call(port, "DELETE", "/api/v1/accounts/me", caller, null));
        }

        assertThat(jdbc.sql("select status from api_keys where account_id = cast(:id as uuid)").param("id", accountId)
                .query(String.class).list()).containsExactly("active");
        assertThat(jdbc.sql("select name || ' ' || status from accounts where id = cast(:id as uuid)").param("id", accountId)
                .query(String.class).single()).isEqualTo("Ada active");
        // the account's own credential still may
        assertThat(EndpointScopes.call(port, "DELETE", "/api/v1/api-keys/" + keyId, TestIdentities.user(accountId), null)
                .status()).isEqualTo(204);
    }

    private static void assertRefused(Reply reply) {
        assertThat(reply.status()).as(reply.body()).isEqualTo(403);
        assertThat(reply.errorCode()).isEqualTo("insufficient_scope");
        assertThat(reply.body()).contains("'account'");
    }
}

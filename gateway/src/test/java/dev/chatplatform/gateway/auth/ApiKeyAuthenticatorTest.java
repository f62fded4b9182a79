package dev.chatplatform.gateway.auth;

import dev.chatplatform.contracts.billing.ApiKeyChanged;
import dev.chatplatform.gateway.apikey.ApiKeyView;
import dev.chatplatform.kit.identity.CallerIdentity;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class ApiKeyAuthenticatorTest {

    private final ApiKeyView view = new ApiKeyView();

    @Test
    void aKnownKeyAuthenticatesAsItsAccountWithItsScopes() {
        view.apply(new ApiKeyChanged("k1", "acc-1", HexFormat.of().formatHex(ApiKeyAuthenticator.sha256("sk-cp-secret")),
                "sk-cp-sec", "n", List.of("chat", "analyst"), "active", 1, Instant.now(), null));

        assertThat(new ApiKeyAuthenticator(view, "").authenticate("sk-cp-secret"))
                .contains(new CallerIdentity("acc-1", "k1", Set.of("chat", "analyst")));
    }

    @Test
    void theBootstrapAdminKeyIsThePlatformAdmin() {
        assertThat(new ApiKeyAuthenticator(view, "sk-admin").authenticate("sk-admin"))
                .contains(new CallerIdentity("platform-admin", "admin", Set.of("admin")));
    }

    @Test
    void withoutABootstrapKeyNoBlankKeyAuthenticates() {
        ApiKeyAuthenticator authenticator = new ApiKeyAuthenticator(view, " ");

        assertThat(authenticator.authenticate(" ")).isEmpty();
        assertThat(authenticator.authenticate("")).isEmpty();
    }
}

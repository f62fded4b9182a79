package dev.chatplatform.gateway.oidc;

import com.nimbusds.jose.util.Resource;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OidcTokenVerifierTest {

    private static final String ISSUER = "https://login.example.com/realms/test";
    /** Header {"alg":"RS256","kid":"k1"}, some claims, a dummy signature: enough to reach the key lookup. */
    private static final String TOKEN = "eyJhbGciOiJSUzI1NiIsImtpZCI6ImsxIn0.eyJzdWIiOiJ1MSJ9.c2ln";

    @Test
    void aJwtIsToldFromAnApiKeyByItsShape() {
        assertThat(OidcTokenVerifier.looksLikeJwt(TOKEN)).isTrue();
        assertThat(OidcTokenVerifier.looksLikeJwt("sk-cp-abc.def.ghi")).isFalse();
        assertThat(OidcTokenVerifier.looksLikeJwt("sk-cp-0123456789abcdefABCDEF_-")).isFalse();
        assertThat(OidcTokenVerifier.looksLikeJwt("a.b")).isFalse();
    }

    @Test
    void anUnreachableIssuerMakesTokensUncheckableNotInvalid() {
        OidcTokenVerifier verifier = new OidcTokenVerifier(properties(), url -> {
            throw new IOException("connection refused");
        });

        assertThatThrownBy(() -> verifier.verifyNow(TOKEN)).isInstanceOf(IssuerUnavailableException.class);
    }

    @Test
    void aDiscoveryDocumentOfAnotherIssuerIsNotTrusted() {
        OidcTokenVerifier verifier = new OidcTokenVerifier(properties(), url -> new Resource(
                "{\"issuer\":\"https://evil.example.com\",\"jwks_uri\":\"https://evil.example.com/jwks\"}",
                "application/json"));

        assertThatThrownBy(() -> verifier.verifyNow(TOKEN)).isInstanceOf(IssuerUnavailableException.class);
    }

    private static OidcProperties properties() {
        return new OidcProperties(ISSUER, "", "", Duration.ofSeconds(30), Duration.ofMinutes(5), Duration.ofSeconds(30));
    }
}

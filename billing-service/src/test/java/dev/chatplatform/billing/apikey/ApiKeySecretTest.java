package dev.chatplatform.billing.apikey;

import org.junit.jupiter.api.Test;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class ApiKeySecretTest {

    private final SecureRandom random = new SecureRandom();

    @Test
    void secretIsTheSchemeFollowedBy43UrlSafeCharactersOf32RandomBytes() {
        ApiKeySecret secret = ApiKeySecret.generate(random);

        assertThat(secret.secret()).matches("sk-cp-[A-Za-z0-9_-]{43}");
        assertThat(Base64.getUrlDecoder().decode(secret.secret().substring(6))).hasSize(32);
    }

    @Test
    void everySecretIsDifferent() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            seen.add(ApiKeySecret.generate(random).secret());
        }
        assertThat(seen).hasSize(1000);
    }

    @Test
    void hashIsLowerCaseHexSha256OfTheWholeSecret() {
        assertThat(ApiKeySecret.sha256Hex("test"))
                .isEqualTo("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08");
        ApiKeySecret secret = ApiKeySecret.generate(random);
        assertThat(secret.hash()).isEqualTo(ApiKeySecret.sha256Hex(secret.secret())).matches("[0-9a-f]{64}");
    }

    @Test
    void prefixIsTheFirstTwelveCharactersAndToStringNeverShowsTheSecret() {
        ApiKeySecret secret = ApiKeySecret.generate(random);

        assertThat(secret.prefix()).hasSize(12).startsWith("sk-cp-").isEqualTo(secret.secret().substring(0, 12));
        assertThat(secret.toString()).doesNotContain(secret.secret()).doesNotContain(secret.hash());
    }

    @Test
    void keyIdsAreKUnderscoreAnd16HexCharacters() {
        assertThat(ApiKeyId.generate(random).value()).matches("k_[0-9a-f]{16}");
        assertThat(ApiKeyId.parse("k_0123456789abcdef")).isPresent();
        assertThat(ApiKeyId.parse("k_0123456789ABCDEF")).isEmpty();
        assertThat(ApiKeyId.parse("'; drop table api_keys; --")).isEmpty();
        assertThat(ApiKeyId.parse(null)).isEmpty();
    }
}

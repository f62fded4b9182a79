package dev.chatplatform.gateway.apikey;

import dev.chatplatform.contracts.billing.ApiKeyChanged;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ApiKeyViewTest {

    private final ApiKeyView view = new ApiKeyView();

    @Test
    void anActiveKeyIsFoundByItsSecretHash() {
        view.apply(key("k1", "hash-1", "active", 1));

        assertThat(view.findActive("hash-1")).hasValueSatisfying(k -> assertThat(k.keyId()).isEqualTo("k1"));
        assertThat(view.findActive("hash-2")).isEmpty();
    }

    @Test
    void aRevocationHidesTheKey() {
        view.apply(key("k1", "hash-1", "active", 1));
        view.apply(key("k1", "hash-1", "revoked", 2));

        assertThat(view.findActive("hash-1")).isEmpty();
        assertThat(view.size()).isEqualTo(1);
    }

    @Test
    void anOlderVersionArrivingLateIsIgnored() {
        view.apply(key("k1", "hash-1", "revoked", 2));

        assertThat(view.apply(key("k1", "hash-1", "active", 1))).isFalse();
        assertThat(view.findActive("hash-1")).isEmpty();
    }

    @Test
    void theSameVersionAgainChangesNothing() {
        view.apply(key("k1", "hash-1", "active", 3));

        assertThat(view.apply(key("k1", "hash-1", "revoked", 3))).isFalse();
        assertThat(view.findActive("hash-1")).isPresent();
    }

    @Test
    void theHighestVersionWinsWhateverTheOrder() {
        view.apply(key("k1", "hash-1", "active", 1));
        view.apply(key("k1", "hash-1", "active", 3, List.of("chat", "analyst")));
        view.apply(key("k1", "hash-1", "revoked", 2));

        assertThat(view.findActive("hash-1")).hasValueSatisfying(k -> assertThat(k.scopes()).contains("analyst"));
    }

    @Test
    void aNewSecretForTheSameKeyIdReplacesTheOldOne() {
        view.apply(key("k1", "hash-old", "active", 1));
        view.apply(key("k1", "hash-new", "active", 2));

        assertThat(view.findActive("hash-old")).isEmpty();
        assertThat(view.findActive("hash-new")).isPresent();
    }

    @Test
    void aTombstoneForgetsTheKey() {
        view.apply(key("k1", "hash-1", "active", 1));

        view.remove("k1");

        assertThat(view.findActive("hash-1")).isEmpty();
        assertThat(view.size()).isZero();
    }

    static ApiKeyChanged key(String keyId, String hash, String status, long version) {
        return key(keyId, hash, status, version, List.of("chat"));
    }

    static ApiKeyChanged key(String keyId, String hash, String status, long version, List<String> scopes) {
        return new ApiKeyChanged(keyId, "acc-1", hash, "sk-cp-abcd", "k", scopes, status, version,
                Instant.parse("2026-01-01T00:00:00Z"), status.equals("revoked") ? Instant.parse("2026-01-02T00:00:00Z") : null);
    }
}

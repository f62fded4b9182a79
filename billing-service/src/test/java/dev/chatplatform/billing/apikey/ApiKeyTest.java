package dev.chatplatform.billing.apikey;

import dev.chatplatform.billing.account.AccountId;
import dev.chatplatform.contracts.billing.ApiKeyChanged;
import dev.chatplatform.kit.identity.Scope;
import org.junit.jupiter.api.Test;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ApiKeyTest {

    private static final Instant CREATED = Instant.parse("2026-01-01T00:00:00Z");
    private static final Instant LATER = Instant.parse("2026-01-02T00:00:00Z");

    private final SecureRandom random = new SecureRandom();
    private final AccountId account = AccountId.random();
    private final ApiKeySecret secret = ApiKeySecret.generate(random);

    private ApiKey issue(List<String> scopes) {
        return ApiKey.issue(ApiKeyId.generate(random), account, secret, "laptop", scopes, CREATED);
    }

    @Test
    void requestValidationAcceptsExactlyTheScopesAKeyCanCarry() {
        assertThat(Arrays.stream(Scope.values()).map(Scope::wire))
                .allMatch(scope -> scope.matches(ApiKey.SCOPE_PATTERN))
                .containsExactlyInAnyOrderElementsOf(ApiKey.SCOPES);
        assertThat(ApiKey.SCOPES).contains("account");
        assertThat("accounts").doesNotMatch(ApiKey.SCOPE_PATTERN);
        assertThatThrownBy(() -> issue(List.of("chat", "owner"))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void issuedKeyIsActiveAtVersionOneAndHoldsOnlyTheHash() {
        ApiKey key = issue(List.of("chat"));

        assertThat(key.status()).isEqualTo(ApiKeyStatus.ACTIVE);
        assertThat(key.version()).isEqualTo(1);
        assertThat(key.revokedAt()).isNull();
        assertThat(key.secretHash()).isEqualTo(secret.hash());
        assertThat(key.toString()).doesNotContain(secret.secret());
    }

    @Test
    void revokingReturnsTheNextVersionWithItsTime() {
        ApiKey key = issue(List.of("chat"));

        ApiKey revoked = key.revoke(LATER).orElseThrow();

        assertThat(revoked.status()).isEqualTo(ApiKeyStatus.REVOKED);
        assertThat(revoked.version()).isEqualTo(2);
        assertThat(revoked.revokedAt()).isEqualTo(LATER);
        assertThat(revoked.createdAt()).isEqualTo(CREATED);
        assertThat(revoked.secretHash()).isEqualTo(key.secretHash());
        assertThat(revoked.eventCause()).isNotEqualTo(key.eventCause());
    }

    @Test
    void revokingARevokedKeyChangesNothing() {
        ApiKey revoked = issue(List.of("chat")).revoke(LATER).orElseThrow();

        assertThat(revoked.revoke(LATER.plusSeconds(60))).isEmpty();
    }

    @Test
    void eventCarriesTheFullStateButNeverTheSecret() {
        ApiKey key = issue(List.of("chat", "analyst")).revoke(LATER).orElseThrow();

        ApiKeyChanged event = key.toEvent();

        assertThat(event).isEqualTo(new ApiKeyChanged(key.id().value(), account.toString(), secret.hash(),
                secret.prefix(), "laptop", List.of("chat", "analyst"), "revoked", 2, CREATED, LATER));
        assertThat(key.eventCause()).isEqualTo(key.id().value() + ":v2");
    }

    @Test
    void scopesAreANonEmptySubsetOfTheKnownOnesWithoutDuplicates() {
        assertThat(issue(List.of("chat", "chat", "admin")).scopes()).containsExactly("chat", "admin");
        assertThatThrownBy(() -> issue(List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> issue(List.of("root"))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void belongsOnlyToItsAccount() {
        ApiKey key = issue(List.of("chat"));

        assertThat(key.belongsTo(account)).isTrue();
        assertThat(key.belongsTo(AccountId.random())).isFalse();
    }
}

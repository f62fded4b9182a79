package dev.chatplatform.kit.identity;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class IdentityTokensTest {

    private static final String SECRET = "0123456789abcdef0123456789abcdef";
    private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");
    private static final CallerIdentity ALICE = new CallerIdentity("acc-alice", "key-1", Set.of("chat"));

    private final MutableClock clock = new MutableClock(NOW);
    private final IdentityTokens gateway = tokens("gateway");
    private final IdentityTokens chat = tokens("chat-service");
    private final IdentityTokens usage = tokens("usage-service");

    @Test
    void aTokenIsAcceptedByTheServiceItWasMintedForAndNamesItsMinterAsTheActor() {
        String token = gateway.mint(ALICE, "chat-service");

        assertThat(chat.verify(token)).contains(new CallerIdentity("acc-alice", "key-1", Set.of("chat"), "gateway"));
    }

    @Test
    void aTokenMintedForOneServiceIsRefusedByEveryOther() {
        String forChat = gateway.mint(ALICE, "chat-service");

        assertThat(usage.verify(forChat)).isEmpty();
        assertThat(gateway.verify(forChat)).isEmpty();
    }

    @Test
    void aServiceCallingOnTheCallersBehalfMintsATokenForItsTargetNamingItselfAsTheActor() {
        CallerIdentity caller = chat.verify(gateway.mint(ALICE, "chat-service")).orElseThrow();

        CallerIdentity seenByUsage = usage.verify(chat.mint(caller, "usage-service")).orElseThrow();

        assertThat(seenByUsage.accountId()).isEqualTo("acc-alice");
        assertThat(seenByUsage.keyId()).isEqualTo("key-1");
        assertThat(seenByUsage.scopes()).containsExactly("chat");
        assertThat(seenByUsage.actor()).isEqualTo("chat-service");
    }

    @Test
    void aTokenIsRefusedOnceItsLifetimeHasPassed() {
        String token = gateway.mint(ALICE, "chat-service");

        clock.now = NOW.plusSeconds(30);
        assertThat(chat.verify(token)).isPresent();
        clock.now = NOW.plusSeconds(31);
        assertThat(chat.verify(token)).isEmpty();
    }

    @Test
    void aTokenWithAChangedAudienceOrAnotherSecretIsRefused() {
        String token = gateway.mint(ALICE, "chat-service");
        String[] parts = token.split("\\.");
        String claims = new String(Base64.getUrlDecoder().decode(parts[0])).replace("chat-service", "usage-service");
        String retargeted = Base64.getUrlEncoder().withoutPadding().encodeToString(claims.getBytes()) + "." + parts[1];

        assertThat(usage.verify(retargeted)).isEmpty();
        assertThat(new IdentityTokens("another-secret-another-secret-0123", Duration.ofSeconds(30), clock, "chat-service")
                .verify(token)).isEmpty();
        assertThat(chat.verify(null)).isEmpty();
        assertThat(chat.verify("not-a-token")).isEmpty();
        assertThat(chat.verify("a.b.c")).isEmpty();
    }

    @Test
    void aShortSecretOrAMissingServiceNameIsAConfigurationError() {
        assertThatThrownBy(() -> new IdentityTokens("short", Duration.ofSeconds(30), clock, "chat-service"))
                .hasMessageContaining("PLATFORM_IDENTITY_SECRET");
        assertThatThrownBy(() -> new IdentityTokens(SECRET, Duration.ofSeconds(30), clock, " "))
                .hasMessageContaining("spring.application.name");
    }

    private IdentityTokens tokens(String self) {
        return new IdentityTokens(SECRET, Duration.ofSeconds(30), clock, self);
    }

    private static final class MutableClock extends Clock {
        Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}

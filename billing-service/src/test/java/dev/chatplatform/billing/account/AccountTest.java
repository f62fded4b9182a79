package dev.chatplatform.billing.account;

import dev.chatplatform.contracts.billing.AccountChanged;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AccountTest {

    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void openedAccountIsActiveAtVersionOneWithItsEmailLowerCased() {
        Account account = Account.open("  Ada.Lovelace@Example.COM ", "Ada", null, NOW);

        assertThat(account.email()).isEqualTo("ada.lovelace@example.com");
        assertThat(account.tier()).isEqualTo(Tier.FREE);
        assertThat(account.status()).isEqualTo(AccountStatus.ACTIVE);
        assertThat(account.version()).isEqualTo(1);
        assertThat(account.createdAt()).isEqualTo(NOW).isEqualTo(account.updatedAt());
    }

    @Test
    void eventCarriesTheFullStateAndEachVersionHasItsOwnCause() {
        Account account = Account.open("ada@example.com", "Ada", Tier.PRO, NOW);

        assertThat(account.toEvent()).isEqualTo(new AccountChanged(account.id().toString(), "ada@example.com", "Ada",
                "pro", "active", 1, NOW));
        assertThat(account.eventCause()).isEqualTo(account.id() + ":v1");
    }

    @Test
    void anAccountCannotHoldAnEmailThatIsNotNormalized() {
        assertThatThrownBy(() -> new Account(AccountId.random(), "Ada@example.com", null, Tier.FREE,
                AccountStatus.ACTIVE, 1, NOW, NOW)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void tiersAndIdsParseOnlyWhatTheyShould() {
        assertThat(Tier.fromWire("enterprise")).contains(Tier.ENTERPRISE);
        assertThat(Tier.fromWire("gold")).isEmpty();
        assertThat(AccountId.parse("platform-admin")).isEmpty();
        assertThat(AccountId.parse("5b0c7c1e-8a7e-4f0e-9d55-2a1f6f0c3d11")).isPresent();
    }
}

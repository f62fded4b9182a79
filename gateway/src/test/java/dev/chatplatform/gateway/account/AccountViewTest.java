package dev.chatplatform.gateway.account;

import dev.chatplatform.contracts.billing.AccountChanged;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class AccountViewTest {

    private final AccountView view = new AccountView();

    @Test
    void anAccountTheViewHasNotSeenMayCall() {
        assertThat(view.inactiveStatus("acc_unknown")).isEmpty();
        assertThat(view.inactiveStatus(null)).isEmpty();
    }

    @Test
    void aSuspendedOrDeletedAccountIsInactiveAndReactivationRestoresIt() {
        view.apply(account("acc_1", "suspended", 2));
        view.apply(account("acc_2", "deleted", 3));
        assertThat(view.inactiveStatus("acc_1")).hasValue("suspended");
        assertThat(view.inactiveStatus("acc_2")).hasValue("deleted");

        view.apply(account("acc_1", "active", 3));

        assertThat(view.inactiveStatus("acc_1")).isEmpty();
    }

    @Test
    void theHighestVersionWinsWhateverTheOrder() {
        assertThat(view.apply(account("acc_1", "suspended", 5))).isTrue();
        assertThat(view.apply(account("acc_1", "active", 4))).isFalse();
        assertThat(view.apply(account("acc_1", "active", 5))).isFalse();

        assertThat(view.inactiveStatus("acc_1")).hasValue("suspended");
    }

    @Test
    void aTombstoneDeletesTheAccountForGood() {
        view.apply(account("acc_1", "active", 1));

        view.remove("acc_1");
        view.apply(account("acc_1", "active", 7));

        assertThat(view.inactiveStatus("acc_1")).hasValue("deleted");
        assertThat(view.inactiveStatus("acc_never_seen_before_its_tombstone")).isEmpty();
        view.remove("acc_never_seen_before_its_tombstone");
        assertThat(view.inactiveStatus("acc_never_seen_before_its_tombstone")).hasValue("deleted");
    }

    private static AccountChanged account(String id, String status, long version) {
        return new AccountChanged(id, id + "@example.com", null, "free", status, version, Instant.now());
    }
}

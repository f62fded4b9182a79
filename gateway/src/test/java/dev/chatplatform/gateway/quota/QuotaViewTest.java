package dev.chatplatform.gateway.quota;

import dev.chatplatform.contracts.usage.QuotaChanged;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class QuotaViewTest {

    private final QuotaView view = new QuotaView();

    @Test
    void theHighestVersionWinsWhateverTheOrder() {
        assertThat(view.apply(quota("acc_1", "pro", 5))).isTrue();
        assertThat(view.apply(quota("acc_1", "free", 4))).isFalse();
        assertThat(view.apply(quota("acc_1", "free", 5))).isFalse();

        assertThat(view.find("acc_1")).hasValueSatisfying(q -> assertThat(q.tier()).isEqualTo("pro"));
    }

    @Test
    void aTombstoneForgetsTheAccount() {
        view.apply(quota("acc_1", "pro", 1));

        view.remove("acc_1");

        assertThat(view.find("acc_1")).isEmpty();
        assertThat(view.size()).isZero();
    }

    private static QuotaChanged quota(String account, String tier, long version) {
        return new QuotaChanged(account, tier, "ok", 10, 20_000, List.of("*"), List.of(), version, Instant.now());
    }
}

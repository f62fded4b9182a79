package dev.chatplatform.gateway.oidc;

import dev.chatplatform.contracts.billing.OidcSubjectChanged;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class OidcSubjectViewTest {

    private final OidcSubjectView view = new OidcSubjectView();

    @Test
    void aLinkedSubjectIsFoundWithItsAccount() {
        view.apply(link("s1", "active", 1));

        assertThat(view.find("s1")).hasValueSatisfying(l -> assertThat(l.accountId()).isEqualTo("acc-s1"));
        assertThat(view.find("s2")).isEmpty();
    }

    @Test
    void anOlderRecordArrivingLateNeverRelinksADisabledSubject() {
        view.apply(link("s1", "disabled", 2));

        assertThat(view.apply(link("s1", "active", 1))).isFalse();
        assertThat(view.find("s1")).hasValueSatisfying(l -> assertThat(l.active()).isFalse());
    }

    @Test
    void aTombstoneForgetsTheSubject() {
        view.apply(link("s1", "active", 1));

        view.remove("s1");

        assertThat(view.find("s1")).isEmpty();
        assertThat(view.size()).isZero();
    }

    private static OidcSubjectChanged link(String subject, String status, long version) {
        return new OidcSubjectChanged(subject, "acc-" + subject, status, version, Instant.parse("2026-01-01T00:00:00Z"));
    }
}

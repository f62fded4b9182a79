package dev.chatplatform.contracts.billing;

import dev.chatplatform.contracts.event.EventType;

import java.time.Instant;
import java.util.Objects;

/**
 * Which account an OIDC subject (the {@code sub} claim of the configured issuer) signs in as, published on
 * the compacted {@code oidc-subjects.v1} on every change; the gateway follows it to map JWTs to accounts.
 * Per subject the highest {@code version} wins.
 *
 * @param subject   the OIDC subject (the record key)
 * @param accountId the account it maps to
 * @param status    active, or disabled (account suspended or deleted: the subject is refused)
 * @param version   increases by one with every change of this subject's mapping
 * @param changedAt when this version was written
 */
public record OidcSubjectChanged(
        String subject,
        String accountId,
        String status,
        long version,
        Instant changedAt) {

    public static final EventType<OidcSubjectChanged> TYPE =
            new EventType<>("oidc-subject.changed.v1", Topics.OIDC_SUBJECTS, OidcSubjectChanged.class);

    public OidcSubjectChanged {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(accountId, "accountId");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(changedAt, "changedAt");
    }

    public boolean active() {
        return "active".equals(status);
    }
}

package dev.chatplatform.gateway.oidc;

import dev.chatplatform.contracts.billing.OidcSubjectChanged;
import dev.chatplatform.kit.identity.CallerIdentity;
import reactor.core.publisher.Mono;

import java.util.Optional;
import java.util.Set;

/**
 * Turns a verified OIDC JWT into the caller's identity through the local view of {@code oidc-subjects.v1}.
 * A subject linked to an account (status active) is that account with scopes {@code chat} and {@code account}
 * (the person who owns the account: chat, and manage the account, its keys and its subscription): an external
 * token never grants {@code admin} or {@code analyst} (those come only with API keys an admin creates), and
 * the token's own {@code scope}/{@code scp} claims are not consulted, since they speak the identity
 * provider's vocabulary ({@code openid email ...}), not the platform's. A subject without an active link
 * may only sign up.
 */
public class OidcAuthenticator {

    /** Prefix of the identity an unlinked subject signs up with; billing-service links it to an account. */
    public static final String SIGN_UP_PREFIX = "oidc:";

    /** What a verified token amounts to. */
    public sealed interface Outcome {

        /** The subject is linked to an active account. */
        record Linked(CallerIdentity identity) implements Outcome {
        }

        /**
         * The subject has no account (never linked, or its link was removed or disabled): it may sign up as
         * {@link #signUpIdentity()}.
         *
         * @param formerAccountId the account a disabled link names (suspended or deleted), or null when the
         *                        subject was never linked or its link was removed
         */
        record Unlinked(String subject, String verifiedEmail, String formerAccountId) implements Outcome {

            public CallerIdentity signUpIdentity() {
                return new CallerIdentity(SIGN_UP_PREFIX + subject, null, Set.of());
            }

            /** True when the subject was linked to an account that is now suspended or deleted. */
            public boolean disabled() {
                return formerAccountId != null;
            }
        }
    }

    private final OidcTokenVerifier verifier;
    private final OidcSubjectView subjects;

    public OidcAuthenticator(OidcTokenVerifier verifier, OidcSubjectView subjects) {
        this.verifier = verifier;
        this.subjects = subjects;
    }

    /** Fails like {@link OidcTokenVerifier#verify(String)} when the token itself is refused. */
    public Mono<Outcome> authenticate(String jwt) {
        return verifier.verify(jwt).map(this::outcome);
    }

    Outcome outcome(VerifiedToken token) {
        Optional<OidcSubjectChanged> link = subjects.find(token.subject());
        if (link.isPresent() && link.get().active()) {
            return new Outcome.Linked(new CallerIdentity(link.get().accountId(), null,
                    Set.of(CallerIdentity.CHAT, CallerIdentity.ACCOUNT)));
        }
        return new Outcome.Unlinked(token.subject(), token.verifiedEmail(), link.map(OidcSubjectChanged::accountId).orElse(null));
    }
}

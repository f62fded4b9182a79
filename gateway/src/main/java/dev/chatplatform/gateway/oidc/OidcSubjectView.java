package dev.chatplatform.gateway.oidc;

import dev.chatplatform.contracts.billing.OidcSubjectChanged;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The latest known mapping of every OIDC subject to its account. Per subject the highest {@code version}
 * wins, so a late older record never re-links a subject that was disabled. One thread writes (the topic
 * follower); request threads read.
 */
public class OidcSubjectView {

    private final Map<String, OidcSubjectChanged> bySubject = new ConcurrentHashMap<>();

    /** Applies one state record; returns false when it is not newer than what the view already holds. */
    public boolean apply(OidcSubjectChanged link) {
        boolean[] applied = {false};
        bySubject.compute(link.subject(), (subject, current) -> {
            if (current != null && current.version() >= link.version()) {
                return current;
            }
            applied[0] = true;
            return link;
        });
        return applied[0];
    }

    /** Forgets a subject entirely (a tombstone on the compacted topic). */
    public void remove(String subject) {
        bySubject.remove(subject);
    }

    /** The subject's mapping, active or disabled; empty when the subject was never linked (or forgotten). */
    public Optional<OidcSubjectChanged> find(String subject) {
        return Optional.ofNullable(bySubject.get(subject));
    }

    public int size() {
        return bySubject.size();
    }
}

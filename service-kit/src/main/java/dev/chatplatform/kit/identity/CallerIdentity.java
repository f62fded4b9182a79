package dev.chatplatform.kit.identity;

import java.util.Objects;
import java.util.Set;

/**
 * Who is calling, as asserted by the gateway (or by a service acting on the caller's behalf).
 *
 * @param accountId the account every read and write is scoped to
 * @param keyId     the API key used, or null for other credentials
 * @param scopes    what the caller may do: the wire names of {@link Scope} (chat, account, analyst, admin)
 * @param actor     the service that made this call on the caller's behalf (e.g. {@code chat-service} calling
 *                  usage-service), or null when the gateway asserted the caller directly; for logs, never for
 *                  authorization (the caller's scopes are what count)
 */
public record CallerIdentity(String accountId, String keyId, Set<String> scopes, String actor) {

    public static final String CHAT = "chat";
    public static final String ACCOUNT = "account";
    public static final String ADMIN = "admin";
    public static final String ANALYST = "analyst";

    public CallerIdentity {
        Objects.requireNonNull(accountId, "accountId");
        scopes = scopes == null ? Set.of() : Set.copyOf(scopes);
    }

    /** A caller the gateway asserts directly (no actor). */
    public CallerIdentity(String accountId, String keyId, Set<String> scopes) {
        this(accountId, keyId, scopes, null);
    }

    /** True when the caller holds {@code scope} or {@code admin}, which implies every scope. */
    public boolean hasScope(String scope) {
        return scopes.contains(scope) || scopes.contains(ADMIN);
    }

    public boolean hasScope(Scope scope) {
        return hasScope(scope.wire());
    }
}

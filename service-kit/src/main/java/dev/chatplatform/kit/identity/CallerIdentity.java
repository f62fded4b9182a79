package dev.chatplatform.kit.identity;

import java.util.Objects;
import java.util.Set;

/**
 * Who is calling, as asserted by the gateway.
 *
 * @param accountId the account every read and write is scoped to
 * @param keyId     the API key used, or null for other credentials
 * @param scopes    what the caller may do: the wire names of {@link Scope} (chat, account, analyst, admin)
 */
public record CallerIdentity(String accountId, String keyId, Set<String> scopes) {

    public static final String CHAT = "chat";
    public static final String ACCOUNT = "account";
    public static final String ADMIN = "admin";
    public static final String ANALYST = "analyst";

    public CallerIdentity {
        Objects.requireNonNull(accountId, "accountId");
        scopes = scopes == null ? Set.of() : Set.copyOf(scopes);
    }

    /** True when the caller holds {@code scope} or {@code admin}, which implies every scope. */
    public boolean hasScope(String scope) {
        return scopes.contains(scope) || scopes.contains(ADMIN);
    }

    public boolean hasScope(Scope scope) {
        return hasScope(scope.wire());
    }
}

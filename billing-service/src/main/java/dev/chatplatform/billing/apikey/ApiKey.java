package dev.chatplatform.billing.apikey;

import dev.chatplatform.billing.account.AccountId;
import dev.chatplatform.contracts.billing.ApiKeyChanged;
import dev.chatplatform.kit.identity.Scope;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * An API key's current state; never its secret. Immutable: a change returns the next state with
 * {@code version + 1}, and {@link #toEvent()} is what that version publishes.
 */
public record ApiKey(
        ApiKeyId id,
        AccountId accountId,
        String secretHash,
        String prefix,
        String name,
        List<String> scopes,
        ApiKeyStatus status,
        long version,
        Instant createdAt,
        Instant revokedAt) {

    /** Every scope a key can carry: the wire names of {@link Scope}. */
    public static final Set<String> SCOPES = Arrays.stream(Scope.values()).map(Scope::wire).collect(Collectors.toUnmodifiableSet());
    /** The same, as a regular expression for request validation (ApiKeyTest checks the two agree). */
    public static final String SCOPE_PATTERN = "chat|account|analyst|admin";

    public ApiKey {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(accountId, "accountId");
        Objects.requireNonNull(secretHash, "secretHash");
        Objects.requireNonNull(prefix, "prefix");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(createdAt, "createdAt");
        scopes = List.copyOf(scopes).stream().distinct().toList();
        if (scopes.isEmpty() || !SCOPES.containsAll(scopes)) {
            throw new IllegalArgumentException("scopes must be a non-empty subset of " + SCOPES + ": " + scopes);
        }
        if (!secretHash.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("secretHash must be lower-case hex SHA-256");
        }
        if ((status == ApiKeyStatus.REVOKED) != (revokedAt != null)) {
            throw new IllegalArgumentException("revokedAt is set exactly when the key is revoked");
        }
        if (version < 1) {
            throw new IllegalArgumentException("version starts at 1");
        }
    }

    /** A new active key at version 1 for {@code secret}, whose plain text this key never holds. */
    public static ApiKey issue(ApiKeyId id, AccountId accountId, ApiKeySecret secret, String name,
                               List<String> scopes, Instant now) {
        return new ApiKey(id, accountId, secret.hash(), secret.prefix(), name, scopes, ApiKeyStatus.ACTIVE, 1, now,
                null);
    }

    /** The revoked next version, or empty when the key is already revoked (revoking is idempotent). */
    public Optional<ApiKey> revoke(Instant now) {
        if (status == ApiKeyStatus.REVOKED) {
            return Optional.empty();
        }
        return Optional.of(new ApiKey(id, accountId, secretHash, prefix, name, scopes, ApiKeyStatus.REVOKED,
                version + 1, createdAt, now));
    }

    public boolean belongsTo(AccountId account) {
        return accountId.equals(account);
    }

    /** Makes this version's event id unique and stable: replaying the same version never mints a new event. */
    public String eventCause() {
        return id + ":v" + version;
    }

    public ApiKeyChanged toEvent() {
        return new ApiKeyChanged(id.value(), accountId.toString(), secretHash, prefix, name, scopes, status.wire(),
                version, createdAt, revokedAt);
    }
}

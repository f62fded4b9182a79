package dev.chatplatform.contracts.billing;

import dev.chatplatform.contracts.event.EventType;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The full current state of an API key, published on every change to the compacted {@code api-keys.v1}.
 * Only the SHA-256 of the secret travels; the secret itself is shown once to its owner and never stored.
 *
 * @param keyId      the key id (the record key)
 * @param accountId  the owning account
 * @param secretHash lower-case hex SHA-256 of the full secret
 * @param prefix     the first 12 characters of the secret (e.g. {@code sk-cp-Ab3dEf}), safe to display
 * @param name       what the owner called the key
 * @param scopes     what the key may do: chat, account, analyst, admin (a reader ignores a scope it does not know)
 * @param status     active or revoked
 * @param version    increases by one with every change
 * @param createdAt  when the key was created
 * @param revokedAt  when it was revoked, or null
 */
public record ApiKeyChanged(
        String keyId,
        String accountId,
        String secretHash,
        String prefix,
        String name,
        List<String> scopes,
        String status,
        long version,
        Instant createdAt,
        Instant revokedAt) {

    public static final EventType<ApiKeyChanged> TYPE =
            new EventType<>("api-key.changed.v1", Topics.API_KEYS, ApiKeyChanged.class);

    public ApiKeyChanged {
        Objects.requireNonNull(keyId, "keyId");
        Objects.requireNonNull(accountId, "accountId");
        Objects.requireNonNull(secretHash, "secretHash");
        Objects.requireNonNull(status, "status");
        scopes = scopes == null ? List.of() : List.copyOf(scopes);
    }

    public boolean active() {
        return "active".equals(status);
    }
}

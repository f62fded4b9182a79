package dev.chatplatform.gateway.apikey;

import dev.chatplatform.contracts.billing.ApiKeyChanged;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The latest known state of every API key, indexed by the SHA-256 of its secret. Per key id the highest
 * {@code version} wins, so a redelivered or out-of-order older record never resurrects a revoked key.
 * One thread writes (the topic follower); request threads read.
 */
public class ApiKeyView {

    private final Map<String, ApiKeyChanged> byId = new ConcurrentHashMap<>();
    private final Map<String, ApiKeyChanged> bySecretHash = new ConcurrentHashMap<>();

    /** Applies one state record; returns false when it is not newer than what the view already holds. */
    public synchronized boolean apply(ApiKeyChanged key) {
        ApiKeyChanged current = byId.get(key.keyId());
        if (current != null && current.version() >= key.version()) {
            return false;
        }
        byId.put(key.keyId(), key);
        if (current != null) {
            bySecretHash.remove(current.secretHash(), current);
        }
        bySecretHash.put(key.secretHash(), key);
        return true;
    }

    /** Forgets a key entirely (a tombstone on the compacted topic). */
    public synchronized void remove(String keyId) {
        ApiKeyChanged current = byId.remove(keyId);
        if (current != null) {
            bySecretHash.remove(current.secretHash(), current);
        }
    }

    /** The active key whose secret hashes to {@code secretHash}; empty when unknown or revoked. */
    public Optional<ApiKeyChanged> findActive(String secretHash) {
        return Optional.ofNullable(bySecretHash.get(secretHash)).filter(ApiKeyChanged::active);
    }

    /** How many keys (active or revoked) the view holds. */
    public int size() {
        return byId.size();
    }
}

package dev.chatplatform.gateway.auth;

import dev.chatplatform.gateway.apikey.ApiKeyView;
import dev.chatplatform.kit.identity.CallerIdentity;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Set;

/**
 * Turns a presented API key into the caller's identity. Keys are compared by their SHA-256 (lower-case
 * hex, as billing-service publishes them); the presented secret is hashed and dropped, never kept.
 */
public class ApiKeyAuthenticator {

    /** The account and key id the bootstrap admin key authenticates as. */
    public static final String ADMIN_ACCOUNT = "platform-admin";
    public static final String ADMIN_KEY_ID = "admin";

    private final ApiKeyView view;
    private final byte[] adminKeyHash;

    public ApiKeyAuthenticator(ApiKeyView view, String adminApiKey) {
        this.view = view;
        this.adminKeyHash = adminApiKey == null || adminApiKey.isBlank() ? null : sha256(adminApiKey);
    }

    public Optional<CallerIdentity> authenticate(String presentedKey) {
        byte[] hash = sha256(presentedKey);
        if (adminKeyHash != null && MessageDigest.isEqual(hash, adminKeyHash)) {
            return Optional.of(new CallerIdentity(ADMIN_ACCOUNT, ADMIN_KEY_ID, Set.of(CallerIdentity.ADMIN)));
        }
        return view.findActive(HexFormat.of().formatHex(hash))
                .map(key -> new CallerIdentity(key.accountId(), key.keyId(), Set.copyOf(key.scopes())));
    }

    static byte[] sha256(String secret) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }
}

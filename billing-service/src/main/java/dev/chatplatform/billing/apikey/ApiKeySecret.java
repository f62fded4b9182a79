package dev.chatplatform.billing.apikey;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * A freshly generated secret: {@code sk-cp-} and 43 url-safe base64 characters of 32 random bytes. Only
 * {@link #hash()} and {@link #prefix()} are kept; the secret goes to its owner once. A plain SHA-256
 * suffices (no salt, no slow hash) because the secret has 256 bits of entropy: it cannot be guessed, and
 * the gateway must find a key by its hash in one lookup.
 */
public record ApiKeySecret(String secret, String hash, String prefix) {

    public static final String SCHEME = "sk-cp-";
    /** How many leading characters of the secret are shown in listings. */
    public static final int PREFIX_LENGTH = 12;
    private static final int RANDOM_BYTES = 32;

    public static ApiKeySecret generate(SecureRandom random) {
        byte[] bytes = new byte[RANDOM_BYTES];
        random.nextBytes(bytes);
        String secret = SCHEME + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        return new ApiKeySecret(secret, sha256Hex(secret), secret.substring(0, PREFIX_LENGTH));
    }

    /** Lower-case hex SHA-256 of the UTF-8 secret, as stored here and looked up by the gateway. */
    public static String sha256Hex(String secret) {
        try {
            return HexFormat.of().formatHex(
                    MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    @Override
    public String toString() {
        return "ApiKeySecret[prefix=" + prefix + "]";
    }
}

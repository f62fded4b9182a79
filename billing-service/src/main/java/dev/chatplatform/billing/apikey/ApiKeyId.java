package dev.chatplatform.billing.apikey;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/** {@code k_} and 16 lower-case hex characters: safe to show, log and use as the Kafka record key. */
public record ApiKeyId(String value) {

    private static final Pattern FORMAT = Pattern.compile("k_[0-9a-f]{16}");

    public ApiKeyId {
        Objects.requireNonNull(value, "value");
        if (!FORMAT.matcher(value).matches()) {
            throw new IllegalArgumentException("API key ids look like k_ and 16 hex characters: " + value);
        }
    }

    public static ApiKeyId generate(SecureRandom random) {
        byte[] bytes = new byte[8];
        random.nextBytes(bytes);
        return new ApiKeyId("k_" + HexFormat.of().formatHex(bytes));
    }

    /** The id in {@code text}, or empty when it cannot be a key id (callers answer 404, not 400). */
    public static Optional<ApiKeyId> parse(String text) {
        return text != null && FORMAT.matcher(text).matches() ? Optional.of(new ApiKeyId(text)) : Optional.empty();
    }

    @Override
    public String toString() {
        return value;
    }
}

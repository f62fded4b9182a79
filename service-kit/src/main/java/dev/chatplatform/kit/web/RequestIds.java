package dev.chatplatform.kit.web;

import java.util.UUID;
import java.util.regex.Pattern;

/** Request ids: assigned once at the gateway, carried in {@value #HEADER} and in every log line as {@code requestId}. */
public final class RequestIds {

    public static final String HEADER = "X-Request-Id";
    public static final String MDC_KEY = "requestId";
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9._:-]{8,100}");

    private RequestIds() {
    }

    /** A client's own id is kept when it is safe to log; otherwise a new one is minted. */
    public static String acceptOrMint(String candidate) {
        return candidate != null && SAFE.matcher(candidate).matches() ? candidate : mint();
    }

    public static String mint() {
        return "req_" + UUID.randomUUID().toString().replace("-", "");
    }
}

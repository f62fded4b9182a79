package dev.chatplatform.kit.web;

import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Request ids: minted by the gateway for every request, carried in {@value #HEADER} and in every log line as
 * {@code requestId}. The id is the cause of the request's billable usage event, so a client never chooses
 * it: an id the client sent travels beside it in {@value #CLIENT_HEADER}, for correlation only.
 */
public final class RequestIds {

    public static final String HEADER = "X-Request-Id";
    public static final String CLIENT_HEADER = "X-Client-Request-Id";
    public static final String MDC_KEY = "requestId";
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9._:-]{8,100}");

    private RequestIds() {
    }

    /** The id itself when it is safe to log and pass on, else a freshly minted one. */
    public static String acceptOrMint(String candidate) {
        return candidate != null && SAFE.matcher(candidate).matches() ? candidate : mint();
    }

    public static String mint() {
        return "req_" + UUID.randomUUID().toString().replace("-", "");
    }
}

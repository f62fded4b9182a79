package dev.chatplatform.provider.routing;

import dev.chatplatform.provider.upstream.TokenUsage;

/**
 * The deployment failed after pieces of its answer had reached the client: nothing may be retried or
 * replaced any more, and {@code usageSoFar} (of {@code target}) is what the client must be billed for.
 */
public class StreamBrokenException extends RuntimeException {

    private final transient RouteTarget target;
    private final transient TokenUsage usageSoFar;

    public StreamBrokenException(RouteTarget target, TokenUsage usageSoFar, Throwable cause) {
        super(target.provider() + " failed after the answer had started", cause);
        this.target = target;
        this.usageSoFar = usageSoFar;
    }

    public RouteTarget target() {
        return target;
    }

    public TokenUsage usageSoFar() {
        return usageSoFar;
    }
}

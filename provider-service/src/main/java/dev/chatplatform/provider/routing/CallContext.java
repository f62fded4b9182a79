package dev.chatplatform.provider.routing;

/** Who a routed call is for, for the attempt records. */
public record CallContext(String requestId, String accountId) {
}

package dev.chatplatform.provider.routing;

import dev.chatplatform.provider.upstream.Generation;

/**
 * The answer and the deployment that produced it (the one billed).
 *
 * @param attempts upstream calls made for the request, this one included
 */
public record Routed(Generation generation, RouteTarget target, int attempts) {
}

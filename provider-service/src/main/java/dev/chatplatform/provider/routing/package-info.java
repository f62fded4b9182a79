/**
 * Routing and resilience between the completion endpoint and the providers: the order in which a model's
 * weighted deployments and its fallback models are tried ({@link dev.chatplatform.provider.routing.RoutePlanner}),
 * and the {@link dev.chatplatform.provider.routing.Router} that runs attempts with retries (exponential backoff,
 * jitter, Retry-After), a circuit breaker and a concurrency limit per provider, the fall-back-only-before-the-
 * first-token rule, and one {@link dev.chatplatform.provider.routing.Attempt} record per upstream call.
 */
package dev.chatplatform.provider.routing;

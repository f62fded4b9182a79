/**
 * Feature flags in provider-service: the OpenFeature provider of flags-client ({@code KafkaFlagProvider},
 * evaluating locally from {@code flags.v1}) run as a bean, and the flags provider-service rolls out —
 * {@link dev.chatplatform.provider.flags.RoutingFlags#WEIGHTED_ROUTING} decides how a request's deployments
 * are ordered, and its variant tags the request's {@code llm-calls.v1} events for rollout-service's guard.
 */
package dev.chatplatform.provider.flags;

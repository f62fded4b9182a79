/**
 * The gateway: a reactive Spring Cloud Gateway with no database. Clients reach the platform only through
 * it; it authenticates them from a local view of {@code api-keys.v1} and forwards each request with a
 * freshly signed identity and a request id.
 */
package dev.chatplatform.gateway;

/**
 * Identity inside the platform. The gateway authenticates the caller (API key or OIDC JWT) and asserts who it is
 * to the service a route leads to with a short-lived HMAC-signed token in {@value
 * dev.chatplatform.kit.identity.IdentityTokens#HEADER} whose audience is that service; a service calling another on
 * the caller's behalf (chat-service → usage-service, provider-service) mints a token of its own for that one call,
 * naming itself as the actor. Services accept identity only from a token minted for them that they can verify, so
 * a caller that reaches a service directly cannot impersonate an account.
 */
package dev.chatplatform.kit.identity;

/**
 * Identity inside the platform. The gateway authenticates the caller (API key, later OIDC) and asserts
 * who it is to internal services with a short-lived HMAC-signed token in {@value
 * dev.chatplatform.kit.identity.IdentityTokens#HEADER}; services accept identity only from a token they can
 * verify, so a caller that reaches a service directly cannot impersonate an account.
 */
package dev.chatplatform.kit.identity;

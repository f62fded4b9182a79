/**
 * OIDC JWTs from the configured issuer: their verification (signature against the issuer's JWKS, issuer,
 * audience, lifetime) and the local view of billing's {@code oidc-subjects.v1}, which maps a token's
 * subject to its account.
 */
package dev.chatplatform.gateway.oidc;

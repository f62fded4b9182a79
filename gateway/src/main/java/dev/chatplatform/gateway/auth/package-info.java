/**
 * Authentication of clients ({@code Authorization: Bearer <api key or OIDC JWT>}) and the identity the gateway asserts
 * to internal services in its place.
 */
package dev.chatplatform.gateway.auth;

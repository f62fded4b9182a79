/**
 * Cross-origin access for browser apps: the allow-list of origins ({@code GATEWAY_CORS_ALLOWED_ORIGINS}), preflights
 * answered before authentication, and the gateway as the only source of CORS headers (the services' own are dropped).
 */
package dev.chatplatform.gateway.cors;

/**
 * The servlet-side edge every MVC service shares: OpenAI-shaped JSON errors for every failure, request ids
 * in the logs, body-size limits, resolution of the gateway-asserted {@link
 * dev.chatplatform.kit.identity.CallerIdentity} into controller parameters, and the one scope mechanism: every
 * handler declares {@link dev.chatplatform.kit.web.RequiresScope}, {@link dev.chatplatform.kit.web.Authenticated}
 * or {@link dev.chatplatform.kit.web.PublicEndpoint}, and {@link dev.chatplatform.kit.web.ScopeInterceptor}
 * enforces it.
 */
package dev.chatplatform.kit.web;

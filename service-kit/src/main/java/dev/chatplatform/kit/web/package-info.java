/**
 * The servlet-side edge every MVC service shares: OpenAI-shaped JSON errors for every failure, request ids
 * in the logs, body-size limits, and resolution of the gateway-asserted {@link
 * dev.chatplatform.kit.identity.CallerIdentity} into controller parameters.
 */
package dev.chatplatform.kit.web;

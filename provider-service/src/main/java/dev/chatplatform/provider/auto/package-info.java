/**
 * {@code model: "auto"}: picks the cheapest priced, enabled, configured model the caller's tier allows that
 * fits the request, preferring models whose capabilities match what the request signals (tools, code,
 * multi-step reasoning). The caller's tier comes from a local table fed by {@code accounts.v1}.
 */
package dev.chatplatform.provider.auto;

/**
 * provider-service: the model catalog and price book ({@code catalog}), the provider interface every
 * upstream adapter implements ({@code upstream}), the built-in simulated model ({@code simulated}) and the
 * OpenAI-compatible chat completions endpoint ({@code completion}).
 */
package dev.chatplatform.provider;

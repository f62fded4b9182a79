/**
 * The built-in simulated model: deterministic English-looking answers for a given conversation, counted
 * with the real tokenizer and streamed token by token at a configurable pace. Default model of the local
 * platform, and what every test runs against.
 */
package dev.chatplatform.provider.simulated;

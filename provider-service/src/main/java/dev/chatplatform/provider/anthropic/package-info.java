/** Adapter for Anthropic's Messages API on Anthropic's official Java SDK. */
package dev.chatplatform.provider.anthropic;

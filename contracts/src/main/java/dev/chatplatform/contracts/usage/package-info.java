/** Usage events, published by chat-service on {@code usage.v1} and metered by usage-service. */
package dev.chatplatform.contracts.usage;

/** Usage events (chat-service, usage.v1) and quota state and thresholds (usage-service, quota.v1, quota-thresholds.v1). */
package dev.chatplatform.contracts.usage;

/**
 * Budget holds: before every model call a hold for the worst case (prompt tokens + max tokens, at the model's
 * prices) is placed with usage-service, the upstream {@code max_tokens} is clamped to what was granted, and a
 * call that ends without a usage event releases its hold. usage-service's refusals (429) pass through; when it
 * cannot be reached the call fails closed (503 {@code budget_service_unavailable}) unless configured to fail open.
 */
package dev.chatplatform.chat.budget;

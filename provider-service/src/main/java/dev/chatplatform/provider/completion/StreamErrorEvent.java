package dev.chatplatform.provider.completion;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.chatplatform.kit.web.ApiError;

/**
 * The terminal event of a stream that failed: OpenAI's error shape plus the cumulative {@code x_platform}
 * usage of the answer the client received (zero when none of it did), so chat-service bills exactly that.
 */
record StreamErrorEvent(ApiError.Body error, @JsonProperty("x_platform") XPlatform xPlatform) {
}

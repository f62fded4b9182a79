package dev.chatplatform.chat.conversation;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;

/**
 * Defaults and limits of conversations ({@code chat.conversations.*}).
 *
 * @param defaultModel               the model of a conversation created without one
 * @param maxConversationsPerAccount conversations one account may keep
 * @param maxMessagesPerConversation messages (both roles) one conversation may hold
 * @param maxMessageChars            characters in one user message
 * @param maxTitleChars              characters in a title
 * @param maxSystemPromptChars       characters in a system prompt
 * @param autoTitleChars             length of a title derived from the first message
 * @param defaultPageSize            page size when {@code limit} is not given
 * @param maxPageSize                the largest {@code limit}
 * @param stopPollInterval           how often a streaming answer checks whether a stop was requested
 * @param generationTimeout          after this, an answer still marked generating (its replica died) no
 *                                   longer blocks new messages
 */
@Validated
@ConfigurationProperties("chat.conversations")
public record ConversationProperties(
        @NotBlank @DefaultValue("sim-1") String defaultModel,
        @Min(1) @DefaultValue("1000") int maxConversationsPerAccount,
        @Min(2) @DefaultValue("1000") int maxMessagesPerConversation,
        @Min(1) @DefaultValue("32000") int maxMessageChars,
        @Min(1) @DefaultValue("200") int maxTitleChars,
        @Min(0) @DefaultValue("16000") int maxSystemPromptChars,
        @Min(8) @DefaultValue("60") int autoTitleChars,
        @Min(1) @DefaultValue("20") int defaultPageSize,
        @Min(1) @DefaultValue("100") int maxPageSize,
        @NotNull @DefaultValue("200ms") Duration stopPollInterval,
        @NotNull @DefaultValue("10m") Duration generationTimeout) {
}

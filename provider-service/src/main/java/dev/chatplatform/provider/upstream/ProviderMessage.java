package dev.chatplatform.provider.upstream;

/**
 * One conversation message with its text content flattened.
 *
 * @param name       optional participant name, or null
 * @param toolCallId for role "tool": the call it answers, or null
 */
public record ProviderMessage(String role, String content, String name, String toolCallId) {

    public static ProviderMessage of(String role, String content) {
        return new ProviderMessage(role, content, null, null);
    }
}

package dev.chatplatform.chat.conversation;

/**
 * A person's preferences for their chats, as {@code GET/PUT /api/v1/settings} shows them: the model and system
 * prompt a new chat starts with ({@code defaultModel} null = the platform's default), whether cost is shown, and
 * the theme ({@code system}, {@code light} or {@code dark}). An account that never saved any has {@link #DEFAULTS}.
 */
record Settings(String object, String defaultModel, String defaultSystemPrompt, boolean showCost, String theme) {

    static final String OBJECT = "chat.settings";
    static final java.util.List<String> THEMES = java.util.List.of("system", "light", "dark");
    static final Settings DEFAULTS = new Settings(OBJECT, null, "", true, "system");
}

package dev.chatplatform.chat.conversation;

import dev.chatplatform.kit.web.ApiException;
import org.springframework.stereotype.Service;
import tools.jackson.databind.JsonNode;

import java.util.Set;

/** An account's chat preferences: read with their defaults, replaced whole (an absent or null field takes its default). */
@Service
class SettingsService {

    private static final Set<String> FIELDS = Set.of("defaultModel", "defaultSystemPrompt", "showCost", "theme");

    private final SettingsRepository settings;
    private final ConversationProperties properties;

    SettingsService(SettingsRepository settings, ConversationProperties properties) {
        this.settings = settings;
        this.properties = properties;
    }

    Settings get(String accountId) {
        return settings.find(accountId).orElse(Settings.DEFAULTS);
    }

    /** @throws ApiException 400 naming the field for an unknown field, a wrong type or an unknown theme */
    Settings replace(String accountId, JsonNode body) {
        RequestFields fields = RequestFields.of(body, FIELDS);
        String prompt = fields.string("defaultSystemPrompt", properties.maxSystemPromptChars(), true);
        String theme = fields.string("theme", 16, false);
        if (theme != null && !Settings.THEMES.contains(theme)) {
            throw ApiException.invalid("invalid_value", "Invalid 'theme': expected one of "
                    + String.join(", ", Settings.THEMES) + ", but got '" + theme + "'.", "theme");
        }
        Settings saved = new Settings(Settings.OBJECT, fields.model("defaultModel"), prompt == null ? "" : prompt,
                fields.bool("showCost", true), theme == null ? Settings.DEFAULTS.theme() : theme);
        settings.save(accountId, saved, ConversationService.now());
        return saved;
    }
}

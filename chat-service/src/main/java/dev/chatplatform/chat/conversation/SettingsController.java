package dev.chatplatform.chat.conversation;

import dev.chatplatform.kit.identity.CallerIdentity;
import dev.chatplatform.kit.identity.Scope;
import dev.chatplatform.kit.web.ApiException;
import dev.chatplatform.kit.web.RequiresScope;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

import java.util.Set;

/**
 * {@code /api/v1/settings}: the caller's chat preferences. {@code PUT} replaces them whole (an absent or null field
 * takes its default), so a client never has to merge.
 */
@RestController
@RequiresScope({Scope.CHAT, Scope.ACCOUNT})
@RequestMapping("/api/v1/settings")
class SettingsController {

    private static final Set<String> FIELDS = Set.of("defaultModel", "defaultSystemPrompt", "showCost", "theme");

    private final SettingsRepository settings;
    private final ConversationProperties properties;

    SettingsController(SettingsRepository settings, ConversationProperties properties) {
        this.settings = settings;
        this.properties = properties;
    }

    @GetMapping
    Settings get(CallerIdentity caller) {
        return settings.find(caller.accountId()).orElse(Settings.DEFAULTS);
    }

    @PutMapping
    Settings put(@RequestBody(required = false) JsonNode body, CallerIdentity caller) {
        RequestFields fields = RequestFields.of(body, FIELDS);
        String prompt = fields.string("defaultSystemPrompt", properties.maxSystemPromptChars(), true);
        String theme = fields.string("theme", 16, false);
        if (theme != null && !Settings.THEMES.contains(theme)) {
            throw ApiException.invalid("invalid_value", "Invalid 'theme': expected one of "
                    + String.join(", ", Settings.THEMES) + ", but got '" + theme + "'.", "theme");
        }
        Settings saved = new Settings(Settings.OBJECT, fields.model("defaultModel"), prompt == null ? "" : prompt,
                fields.bool("showCost", true), theme == null ? Settings.DEFAULTS.theme() : theme);
        settings.save(caller.accountId(), saved, ConversationService.now());
        return saved;
    }
}

package dev.chatplatform.chat.conversation;

import dev.chatplatform.kit.identity.CallerIdentity;
import dev.chatplatform.kit.identity.Scope;
import dev.chatplatform.kit.web.RequiresScope;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/**
 * {@code /api/v1/settings}: the caller's chat preferences. {@code PUT} replaces them whole (an absent or null field
 * takes its default), so a client never has to merge.
 */
@RestController
@RequiresScope({Scope.CHAT, Scope.ACCOUNT})
@RequestMapping("/api/v1/settings")
class SettingsController {

    private final SettingsService settings;

    SettingsController(SettingsService settings) {
        this.settings = settings;
    }

    @GetMapping
    Settings get(CallerIdentity caller) {
        return settings.get(caller.accountId());
    }

    @PutMapping
    Settings put(@RequestBody(required = false) JsonNode body, CallerIdentity caller) {
        return settings.replace(caller.accountId(), body);
    }
}

package dev.chatplatform.billing.apikey;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import java.util.List;

/**
 * @param name   what the owner calls the key, optional
 * @param scopes what the key may do; absent means {@code ["chat"]} (a key for an app that only chats), an empty
 *               list is refused
 */
public record CreateApiKeyRequest(
        @Size(max = 100) String name,
        @Size(min = 1, message = "must not be empty")
        List<@NotNull @Pattern(regexp = ApiKey.SCOPE_PATTERN, message = "must be one of chat, account, analyst, admin") String> scopes) {

    public List<String> scopesOrDefault() {
        return scopes == null ? List.of("chat") : scopes;
    }
}

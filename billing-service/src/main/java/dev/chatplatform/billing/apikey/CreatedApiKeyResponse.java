package dev.chatplatform.billing.apikey;

import java.time.Instant;
import java.util.List;

/** The answer to a key creation: the only time {@code key}, the secret, is ever shown. */
public record CreatedApiKeyResponse(String id, String key, String prefix, String name, List<String> scopes,
                                    Instant createdAt) {

    static CreatedApiKeyResponse of(ApiKeyService.IssuedKey issued) {
        ApiKey key = issued.key();
        return new CreatedApiKeyResponse(key.id().value(), issued.secret(), key.prefix(), key.name(), key.scopes(),
                key.createdAt());
    }
}

package dev.chatplatform.billing.apikey;

import java.time.Instant;
import java.util.List;

/** A key as listed: never its secret, only the prefix that lets its owner recognise it. */
public record ApiKeyResponse(String id, String prefix, String name, List<String> scopes, String status,
                             Instant createdAt, Instant revokedAt) {

    static ApiKeyResponse of(ApiKey key) {
        return new ApiKeyResponse(key.id().value(), key.prefix(), key.name(), key.scopes(), key.status().wire(),
                key.createdAt(), key.revokedAt());
    }
}

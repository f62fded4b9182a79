package dev.chatplatform.billing.apikey;

import java.util.List;

/** OpenAI-style list envelope ({@code {"object":"list","data":[...]}}), so paging can be added without breaking clients. */
public record ApiKeyListResponse(String object, List<ApiKeyResponse> data) {

    static ApiKeyListResponse of(List<ApiKey> keys) {
        return new ApiKeyListResponse("list", keys.stream().map(ApiKeyResponse::of).toList());
    }
}

package dev.chatplatform.provider.catalog;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

/** OpenAI's model list: {@code {"object":"list","data":[{"id","object":"model","created","owned_by"}]}}. */
public record ModelListResponse(String object, List<ModelResponse> data) {

    static ModelListResponse of(List<Model> models) {
        return new ModelListResponse("list", models.stream().map(ModelResponse::of).toList());
    }

    public record ModelResponse(String id, String object, long created, @JsonProperty("owned_by") String ownedBy) {

        static ModelResponse of(Model model) {
            return new ModelResponse(model.id(), "model", model.createdAt().getEpochSecond(), model.provider());
        }
    }
}

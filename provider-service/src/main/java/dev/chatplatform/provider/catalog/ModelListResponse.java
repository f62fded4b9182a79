package dev.chatplatform.provider.catalog;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.time.Instant;
import java.util.List;

/**
 * OpenAI's model list, {@code {"object":"list","data":[{"id","object":"model","created","owned_by",...}]}}, each model
 * with what a client needs before calling it: {@code context_window}, {@code max_output_tokens}, the content it takes
 * ({@code input_modalities}: {@code text}, {@code image}, {@code file}, {@code audio}) and the price in
 * force ({@code pricing}, integer micro-USD per million tokens). OpenAI's own clients ignore the extra fields.
 */
public record ModelListResponse(String object, List<ModelResponse> data) {

    static ModelListResponse of(List<PricedModel> models) {
        return new ModelListResponse("list", models.stream().map(ModelResponse::of).toList());
    }

    public record ModelResponse(String id, String object, long created, @JsonProperty("owned_by") String ownedBy,
                                @JsonProperty("context_window") int contextWindow,
                                @JsonProperty("max_output_tokens") int maxOutputTokens,
                                @JsonProperty("input_modalities") List<String> inputModalities, Pricing pricing) {

        static ModelResponse of(PricedModel priced) {
            Model model = priced.model();
            return new ModelResponse(model.id(), "model", model.createdAt().getEpochSecond(), model.provider(),
                    model.contextWindow(), model.maxOutputTokens(), model.inputModalities(), Pricing.of(priced.price()));
        }
    }

    /** The price in force now, in integer micro-USD per million tokens ({@code 150000} = $0.15). */
    public record Pricing(@JsonProperty("input_micro_usd_per_million") long inputMicroUsdPerMillion,
                          @JsonProperty("cached_input_micro_usd_per_million") long cachedInputMicroUsdPerMillion,
                          @JsonProperty("output_micro_usd_per_million") long outputMicroUsdPerMillion,
                          @JsonProperty("effective_from") Instant effectiveFrom) {

        static Pricing of(Price price) {
            return new Pricing(price.inputPerMillion(), price.cachedInputPerMillion(), price.outputPerMillion(),
                    price.effectiveFrom());
        }
    }
}

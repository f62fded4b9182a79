package dev.chatplatform.provider.catalog;

import dev.chatplatform.kit.web.ApiException;
import org.springframework.stereotype.Service;

import java.time.Instant;
import java.util.List;

/** Answers which models exist and what they cost now; refuses unknown and unpriced models. */
@Service
public class ModelCatalog {

    private final CatalogRepository repository;

    ModelCatalog(CatalogRepository repository) {
        this.repository = repository;
    }

    /** The models a caller can use at {@code at} (those with a price in force). */
    public List<Model> available(Instant at) {
        return repository.pricedModels(at);
    }

    /**
     * The model {@code id} with its price in force at {@code at}.
     *
     * @throws ApiException 404 {@code model_not_found}, or 400 {@code model_not_priced} when no price is in force
     */
    public PricedModel priced(String id, Instant at) {
        Model model = repository.findModel(id).orElseThrow(() -> ApiException.notFound("model_not_found",
                "The model '" + id + "' does not exist or you do not have access to it."));
        Price price = Price.inForceAt(repository.pricesOf(id), at).orElseThrow(() -> ApiException.invalid(
                "model_not_priced", "The model '" + id + "' has no price in force, so it cannot be served.", "model"));
        return new PricedModel(model, price);
    }
}

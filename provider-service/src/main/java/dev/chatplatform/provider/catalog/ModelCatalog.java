package dev.chatplatform.provider.catalog;

import dev.chatplatform.kit.web.ApiException;
import dev.chatplatform.provider.upstream.ProviderRegistry;
import org.springframework.stereotype.Service;

import java.time.Instant;
import java.util.List;

/** Answers which models exist and what they cost now; refuses unknown and unpriced models. */
@Service
public class ModelCatalog {

    private final CatalogRepository repository;
    private final ProviderRegistry providers;

    ModelCatalog(CatalogRepository repository, ProviderRegistry providers) {
        this.repository = repository;
        this.providers = providers;
    }

    /** The models a caller can use at {@code at}: enabled, a price in force and a provider configured. */
    public List<Model> available(Instant at) {
        return repository.pricedModels(at).stream().filter(m -> !deployments(m).isEmpty()).toList();
    }

    /**
     * Where {@code model} can be served here: its {@code model_deployments} rows (or, without rows, its own
     * provider and upstream name), keeping only the providers configured in this deployment.
     */
    public List<Deployment> deployments(Model model) {
        List<Deployment> rows = repository.deploymentsOf(model.id());
        List<Deployment> all = rows.isEmpty() ? List.of(new Deployment(model.provider(), model.upstreamModel(), 1)) : rows;
        return all.stream().filter(d -> providers.configured(d.provider())).toList();
    }

    /** Adds a model without a price (so it cannot be served until an admin prices it); no-op if the id exists. */
    public void registerIfAbsent(String id, String provider, String upstreamModel) {
        repository.insertIfAbsent(id, provider, upstreamModel);
    }

    /**
     * The model {@code id} with its price in force at {@code at}.
     *
     * @throws ApiException 404 {@code model_not_found} (also when its provider is not configured here),
     *                      or 400 {@code model_not_priced} when no price is in force
     */
    public PricedModel priced(String id, Instant at) {
        Model model = repository.findModel(id).filter(m -> m.enabled() && !deployments(m).isEmpty())
                .orElseThrow(() -> ApiException.notFound("model_not_found",
                "The model '" + id + "' does not exist or you do not have access to it."));
        Price price = Price.inForceAt(repository.pricesOf(model.id()), at).orElseThrow(() -> ApiException.invalid(
                "model_not_priced", "The model '" + id + "' has no price in force, so it cannot be served.", "model"));
        return new PricedModel(model, price);
    }
}

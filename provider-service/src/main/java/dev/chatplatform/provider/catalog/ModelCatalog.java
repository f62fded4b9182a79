package dev.chatplatform.provider.catalog;

import dev.chatplatform.kit.tx.AfterCommit;
import dev.chatplatform.kit.web.ApiException;
import dev.chatplatform.provider.upstream.ProviderRegistry;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Service;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Answers which models exist and what they cost now; refuses unknown and unpriced models.
 * <p>
 * Answers come from a {@link CatalogSnapshot} read at most {@code provider.catalog.max-age} (5 s) ago, not from
 * the database on every request: the catalog changes a few times a day and a chat request used to read it seven
 * times (about six PostgreSQL round trips per request). A change through this replica's admin API is seen at
 * once (the snapshot is dropped when the change commits); other replicas see it within the max age. Prices are
 * not affected: the snapshot holds the whole dated price book, so a price takes effect exactly at its
 * {@code effectiveFrom}.
 */
@Service
public class ModelCatalog {

    private final CatalogRepository repository;
    private final ProviderRegistry providers;
    private final Duration maxAge;
    private volatile CatalogSnapshot snapshot;

    ModelCatalog(CatalogRepository repository, ProviderRegistry providers,
                 @Value("${provider.catalog.max-age:5s}") Duration maxAge) {
        this.repository = repository;
        this.providers = providers;
        this.maxAge = maxAge;
    }

    /** The models a caller can use at {@code at}: enabled, a price in force and a provider configured. */
    public List<Model> available(Instant at) {
        return snapshot().pricedModels(at).stream().filter(m -> !deployments(m).isEmpty()).toList();
    }

    /**
     * The catalog changed (through the admin API, or by SQL in a test or a migration run by hand): drops the
     * snapshot when the current transaction commits, at once without one.
     */
    public void changed() {
        AfterCommit.run(() -> snapshot = null);
    }

    private CatalogSnapshot snapshot() {
        CatalogSnapshot current = snapshot;
        if (current != null && current.readAt().plus(maxAge).isAfter(Instant.now())) {
            return current;
        }
        synchronized (this) {
            current = snapshot;
            if (current == null || !current.readAt().plus(maxAge).isAfter(Instant.now())) {
                current = repository.snapshot();
                snapshot = current;
            }
            return current;
        }
    }

    /**
     * Where {@code model} can be served here: its {@code model_deployments} rows (or, without rows, its own
     * provider and upstream name), keeping only the providers configured in this deployment.
     */
    public List<Deployment> deployments(Model model) {
        List<Deployment> rows = snapshot().deploymentsOf(model.id());
        List<Deployment> all = rows.isEmpty() ? List.of(new Deployment(model.provider(), model.upstreamModel(), 1)) : rows;
        return all.stream().filter(d -> providers.configured(d.provider())).toList();
    }

    /** Adds a model without a price (so it cannot be served until an admin prices it); no-op if the id exists. */
    public void registerIfAbsent(String id, String provider, String upstreamModel) {
        repository.insertIfAbsent(id, provider, upstreamModel);
        changed();
    }

    /**
     * The model {@code id} with its price in force at {@code at}.
     *
     * @throws ApiException 404 {@code model_not_found} (also when its provider is not configured here),
     *                      or 400 {@code model_not_priced} when no price is in force
     */
    public PricedModel priced(String id, Instant at) {
        CatalogSnapshot catalog = snapshot();
        Model model = catalog.find(id).filter(m -> m.enabled() && !deployments(m).isEmpty())
                .orElseThrow(() -> ApiException.notFound("model_not_found",
                "The model '" + id + "' does not exist or you do not have access to it."));
        Price price = Price.inForceAt(catalog.pricesOf(model.id()), at).orElseThrow(() -> ApiException.invalid(
                "model_not_priced", "The model '" + id + "' has no price in force, so it cannot be served.", "model"));
        return new PricedModel(model, price);
    }
}

package dev.chatplatform.provider.catalog;

import dev.chatplatform.kit.audit.AuditLog;
import dev.chatplatform.kit.web.ApiException;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Changes the catalog and the price book. The price book only grows: a price takes effect now or later,
 * never in the past (requests already billed must keep agreeing with the book), and a row, once in the book,
 * is never changed (the database refuses to change or delete one in force or past). Every change is audited with
 * the caller and the request's reason, in its transaction.
 */
@Service
public class CatalogAdminService {

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,99}");
    private static final List<String> DEFAULT_CAPABILITIES = List.of("chat", "streaming");

    private final CatalogRepository repository;
    private final ModelCatalog catalog;
    private final AuditLog audit;

    CatalogAdminService(CatalogRepository repository, ModelCatalog catalog, AuditLog audit) {
        this.repository = repository;
        this.catalog = catalog;
        this.audit = audit;
    }

    public List<ModelAdminResponse> list() {
        Instant now = Instant.now();
        return repository.allModels().stream().map(m -> view(m, now)).toList();
    }

    public ModelAdminResponse get(String id) {
        return view(find(id), Instant.now());
    }

    @Transactional
    public ModelAdminResponse create(ModelAdminRequest r, AuditLog.Actor admin) {
        String reason = AuditLog.reason(r.reason());
        String id = required(r.id(), "id");
        if (!ID.matcher(id).matches()) {
            throw ApiException.invalid("invalid_value", "'id' must be 1-100 letters, digits, '.', '_', ':' or '-', "
                    + "starting with a letter or digit.", "id");
        }
        if (repository.findById(id).isPresent() || repository.ownerOfName(id, id).isPresent()) {
            throw new ApiException(HttpStatus.CONFLICT, "invalid_request_error", "model_exists",
                    "A model or alias named '" + id + "' already exists.", "id");
        }
        String provider = required(r.provider(), "provider");
        Model model = new Model(id, provider, r.upstreamModel() == null ? id : notBlank(r.upstreamModel(), "upstreamModel"),
                requiredInt(r.contextWindow(), "contextWindow"), requiredInt(r.maxOutputTokens(), "maxOutputTokens"),
                r.capabilities() == null ? DEFAULT_CAPABILITIES : r.capabilities(), r.aliases(), r.tiers(),
                r.fallbacks(), r.enabled() == null || r.enabled(), Instant.now());
        check(model);
        repository.insertModel(model);
        catalog.changed();
        repository.replaceDeployments(id, deployments(r.deployments()));
        ModelAdminResponse added = get(id);
        audit.record(admin, "model.added", "model", id, null, added, reason);
        return added;
    }

    @Transactional
    public ModelAdminResponse update(String id, ModelAdminRequest r, AuditLog.Actor admin) {
        String reason = AuditLog.reason(r.reason());
        Model old = find(id);
        ModelAdminResponse before = view(old, Instant.now());
        if (r.id() != null && !r.id().equals(old.id())) {
            throw ApiException.invalid("invalid_value", "A model's id cannot be changed; add an alias instead.", "id");
        }
        Model model = new Model(old.id(),
                r.provider() == null ? old.provider() : notBlank(r.provider(), "provider"),
                r.upstreamModel() == null ? old.upstreamModel() : notBlank(r.upstreamModel(), "upstreamModel"),
                r.contextWindow() == null ? old.contextWindow() : r.contextWindow(),
                r.maxOutputTokens() == null ? old.maxOutputTokens() : r.maxOutputTokens(),
                r.capabilities() == null ? old.capabilities() : r.capabilities(),
                r.aliases() == null ? old.aliases() : r.aliases(),
                r.tiers() == null ? old.tiers() : r.tiers(),
                r.fallbacks() == null ? old.fallbacks() : r.fallbacks(),
                r.enabled() == null ? old.enabled() : r.enabled(),
                old.createdAt());
        check(model);
        repository.updateModel(model);
        catalog.changed();
        if (r.deployments() != null) {
            repository.replaceDeployments(id, deployments(r.deployments()));
        }
        ModelAdminResponse after = get(id);
        String action = model.enabled() == old.enabled() ? "model.updated"
                : model.enabled() ? "model.enabled" : "model.disabled";
        audit.record(admin, action, "model", id, before, after, reason);
        return after;
    }

    @Transactional
    public ModelAdminResponse addPrice(String id, PriceRequest r, AuditLog.Actor admin) {
        String reason = AuditLog.reason(r.reason());
        Model model = find(id);
        Instant now = Instant.now();
        ModelAdminResponse.PriceResponse inForce = view(model, now).priceInForce();
        Instant from = r.effectiveFrom() == null ? now : r.effectiveFrom();
        if (from.isBefore(now)) {
            throw ApiException.invalid("price_in_past", "'effectiveFrom' " + from + " is in the past: requests were "
                    + "already billed at the price then in force. A new price takes effect now or later.", "effectiveFrom");
        }
        Price price = new Price(model.id(), from, nonNegative(r.inputMicroUsdPerMtok(), "inputMicroUsdPerMtok"),
                nonNegative(r.outputMicroUsdPerMtok(), "outputMicroUsdPerMtok"),
                nonNegative(r.cachedInputMicroUsdPerMtok(), "cachedInputMicroUsdPerMtok"));
        catalog.changed();
        if (!repository.insertPrice(price)) {
            throw new ApiException(HttpStatus.CONFLICT, "invalid_request_error", "price_exists",
                    "'" + id + "' already has a price effective from " + from + "; prices are never replaced.",
                    "effectiveFrom");
        }
        // before: the price in force when it was scheduled; after: the new row of the book
        audit.record(admin, "model.price-scheduled", "model", id, inForce, ModelAdminResponse.PriceResponse.of(price),
                reason);
        return get(id);
    }

    private void check(Model m) {
        if (m.contextWindow() <= 0) {
            throw ApiException.invalid("invalid_value", "'contextWindow' must be at least 1.", "contextWindow");
        }
        if (m.maxOutputTokens() <= 0 || m.maxOutputTokens() > m.contextWindow()) {
            throw ApiException.invalid("invalid_value", "'maxOutputTokens' must be between 1 and the context window.",
                    "maxOutputTokens");
        }
        for (String alias : m.aliases()) {
            notBlank(alias, "aliases");
            if (alias.equals(m.id()) || repository.ownerOfName(alias, m.id()).isPresent()) {
                throw new ApiException(HttpStatus.CONFLICT, "invalid_request_error", "alias_taken",
                        "The name '" + alias + "' already names another model.", "aliases");
            }
        }
        for (String fallback : m.fallbacks()) {
            if (fallback.equals(m.id()) || repository.findById(fallback).isEmpty()) {
                throw ApiException.invalid("invalid_value", "Fallback '" + fallback
                        + "' must be the id of another model in the catalog.", "fallbacks");
            }
        }
        m.capabilities().forEach(c -> notBlank(c, "capabilities"));
        m.tiers().forEach(t -> notBlank(t, "tiers"));
    }

    private static List<Deployment> deployments(List<ModelAdminRequest.DeploymentRequest> requests) {
        List<Deployment> out = new ArrayList<>();
        for (var d : requests == null ? List.<ModelAdminRequest.DeploymentRequest>of() : requests) {
            int weight = d.weight() == null ? 1 : d.weight();
            if (weight < 0) {
                throw ApiException.invalid("invalid_value", "A deployment's 'weight' must be >= 0.", "deployments");
            }
            out.add(new Deployment(notBlank(d.provider(), "deployments"), notBlank(d.upstreamModel(), "deployments"),
                    weight));
        }
        if (out.stream().map(d -> d.provider() + "/" + d.upstreamModel()).distinct().count() != out.size()) {
            throw ApiException.invalid("invalid_value", "A deployment is listed twice.", "deployments");
        }
        return out;
    }

    private Model find(String id) {
        return repository.findById(id).orElseThrow(() -> ApiException.notFound("model_not_found",
                "The model '" + id + "' does not exist."));
    }

    private ModelAdminResponse view(Model m, Instant now) {
        List<Price> prices = new ArrayList<>(repository.pricesOf(m.id()));
        prices.sort(Comparator.comparing(Price::effectiveFrom));
        var inForce = Price.inForceAt(prices, now).map(ModelAdminResponse.PriceResponse::of).orElse(null);
        return new ModelAdminResponse(m.id(), m.provider(), m.upstreamModel(), m.aliases(), m.contextWindow(),
                m.maxOutputTokens(), m.capabilities(), m.tiers(), m.fallbacks(), repository.deploymentsOf(m.id()),
                m.enabled(), m.createdAt(), inForce, prices.stream().map(ModelAdminResponse.PriceResponse::of).toList());
    }

    private static String required(String value, String param) {
        if (value == null) {
            throw ApiException.invalid("missing_parameter", "'" + param + "' is required.", param);
        }
        return notBlank(value, param);
    }

    private static String notBlank(String value, String param) {
        if (value == null || value.isBlank()) {
            throw ApiException.invalid("invalid_value", "'" + param + "' must not be blank.", param);
        }
        return value.strip();
    }

    private static int requiredInt(Integer value, String param) {
        if (value == null) {
            throw ApiException.invalid("missing_parameter", "'" + param + "' is required.", param);
        }
        return value;
    }

    private static long nonNegative(Long value, String param) {
        if (value == null) {
            throw ApiException.invalid("missing_parameter", "'" + param + "' is required.", param);
        }
        if (value < 0) {
            throw ApiException.invalid("invalid_value", "'" + param + "' must be >= 0.", param);
        }
        return Objects.requireNonNull(value);
    }
}

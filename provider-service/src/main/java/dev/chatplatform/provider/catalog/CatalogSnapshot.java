package dev.chatplatform.provider.catalog;

import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The catalog as read at {@code readAt}: every model, each model's {@code model_deployments} rows and its whole
 * price book (future prices too, so a price taking effect later is in force on time without a new read).
 */
record CatalogSnapshot(List<Model> models, Map<String, List<Deployment>> deployments, Map<String, List<Price>> prices,
                       Instant readAt, Map<String, Model> byName) {

    CatalogSnapshot(List<Model> models, Map<String, List<Deployment>> deployments, Map<String, List<Price>> prices,
                    Instant readAt) {
        this(List.copyOf(models), Map.copyOf(deployments), Map.copyOf(prices), readAt, names(models));
    }

    /** Ids win over aliases, as {@code findModel} did: the model whose id is {@code name}, else one aliasing it. */
    private static Map<String, Model> names(List<Model> models) {
        Map<String, Model> byName = new HashMap<>();
        models.stream().sorted(Comparator.comparing(Model::id))
                .forEach(m -> m.aliases().forEach(alias -> byName.putIfAbsent(alias, m)));
        models.forEach(m -> byName.put(m.id(), m));
        return Map.copyOf(byName);
    }

    Optional<Model> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    List<Deployment> deploymentsOf(String modelId) {
        return deployments.getOrDefault(modelId, List.of());
    }

    List<Price> pricesOf(String modelId) {
        return prices.getOrDefault(modelId, List.of());
    }

    /** Enabled models with a price in force at {@code at}, by id. */
    List<Model> pricedModels(Instant at) {
        return models.stream()
                .filter(m -> m.enabled() && Price.inForceAt(pricesOf(m.id()), at).isPresent())
                .sorted(Comparator.comparing(Model::id))
                .toList();
    }
}

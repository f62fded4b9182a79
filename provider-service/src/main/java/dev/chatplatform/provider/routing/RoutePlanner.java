package dev.chatplatform.provider.routing;

import dev.chatplatform.kit.web.ApiException;
import dev.chatplatform.provider.catalog.Deployment;
import dev.chatplatform.provider.catalog.Model;
import dev.chatplatform.provider.catalog.ModelCatalog;
import dev.chatplatform.provider.catalog.PricedModel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.random.RandomGenerator;

/**
 * The order in which deployments are tried for one request: the requested model's deployments (weighted
 * random order, standbys last), then each fallback model's, in the order the catalog lists them. A fallback
 * that is unknown, disabled, unpriced, not configured here or too small for the prompt is left out: nothing
 * is ever served at $0, and a model that cannot hold the prompt would only fail.
 */
@Component
public class RoutePlanner {

    private static final Logger log = LoggerFactory.getLogger(RoutePlanner.class);

    private final ModelCatalog catalog;

    RoutePlanner(ModelCatalog catalog) {
        this.catalog = catalog;
    }

    public List<RouteTarget> plan(PricedModel requested, int promptTokens, Instant at) {
        List<RouteTarget> targets = new ArrayList<>();
        addDeployments(targets, requested);
        Set<String> seen = new HashSet<>(Set.of(requested.model().id()));
        for (String fallbackId : requested.model().fallbacks()) {
            PricedModel fallback;
            try {
                fallback = catalog.priced(fallbackId, at);
            } catch (ApiException e) {
                log.warn("fallback {} of {} is left out: {}", fallbackId, requested.model().id(), e.getMessage());
                continue;
            }
            Model m = fallback.model();
            if (seen.add(m.id()) && m.contextWindow() > promptTokens) {
                addDeployments(targets, fallback);
            }
        }
        return targets;
    }

    private void addDeployments(List<RouteTarget> targets, PricedModel model) {
        for (Deployment d : weightedOrder(catalog.deployments(model.model()), ThreadLocalRandom.current())) {
            targets.add(new RouteTarget(model, d.provider(), d.upstreamModel()));
        }
    }

    /**
     * A random order in which each deployment comes first with probability weight / total weight (and so
     * on for the rest); deployments of weight 0 come last, in their listed order.
     */
    static List<Deployment> weightedOrder(List<Deployment> deployments, RandomGenerator random) {
        List<Deployment> left = new ArrayList<>(deployments.stream().filter(d -> d.weight() > 0).toList());
        List<Deployment> ordered = new ArrayList<>(deployments.size());
        while (!left.isEmpty()) {
            long total = left.stream().mapToLong(Deployment::weight).sum();
            long pick = random.nextLong(total);
            for (int i = 0; i < left.size(); i++) {
                pick -= left.get(i).weight();
                if (pick < 0) {
                    ordered.add(left.remove(i));
                    break;
                }
            }
        }
        deployments.stream().filter(d -> d.weight() == 0).forEach(ordered::add);
        return ordered;
    }
}

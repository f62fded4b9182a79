package dev.chatplatform.provider.routing;

import dev.chatplatform.kit.web.ApiException;
import dev.chatplatform.provider.catalog.Deployment;
import dev.chatplatform.provider.catalog.Model;
import dev.chatplatform.provider.catalog.ModelCatalog;
import dev.chatplatform.provider.catalog.PricedModel;
import dev.chatplatform.provider.flags.RoutingDecision;
import dev.chatplatform.provider.flags.RoutingFlags;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.random.RandomGenerator;

/**
 * The order in which deployments are tried for one request: the requested model's deployments (weighted
 * random order, standbys last), then each fallback model's, in the order the catalog lists them. A fallback
 * that is unknown, disabled, unpriced, not configured here or too small for the prompt is left out: nothing
 * is ever served at $0, and a model that cannot hold the prompt would only fail. Whether deployments come in
 * weighted order or primary first is rolled out behind the flag {@value RoutingFlags#WEIGHTED_ROUTING}.
 */
@Component
public class RoutePlanner {

    private static final Logger log = LoggerFactory.getLogger(RoutePlanner.class);

    private final ModelCatalog catalog;
    private final RoutingFlags flags;

    RoutePlanner(ModelCatalog catalog, RoutingFlags flags) {
        this.catalog = catalog;
        this.flags = flags;
    }

    /** Without an account: no flag is evaluated (weighted order, nothing tagged). */
    public List<RouteTarget> plan(PricedModel requested, int promptTokens, Instant at) {
        return plan(requested, promptTokens, at, RoutingDecision.UNFLAGGED);
    }

    /** For {@code accountId}, under the routing flags' variants it is served ({@link RoutingFlags}). */
    public List<RouteTarget> plan(PricedModel requested, int promptTokens, Instant at, String accountId) {
        return plan(requested, promptTokens, at, flags.decide(accountId));
    }

    private List<RouteTarget> plan(PricedModel requested, int promptTokens, Instant at, RoutingDecision decision) {
        List<RouteTarget> targets = new ArrayList<>();
        addDeployments(targets, requested, decision);
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
                addDeployments(targets, fallback, decision);
            }
        }
        return targets;
    }

    private void addDeployments(List<RouteTarget> targets, PricedModel model, RoutingDecision decision) {
        List<Deployment> deployments = catalog.deployments(model.model());
        for (Deployment d : decision.weighted() ? weightedOrder(deployments, ThreadLocalRandom.current())
                : primaryFirst(deployments)) {
            targets.add(new RouteTarget(model, d.provider(), d.upstreamModel(), decision.flagVariants()));
        }
    }

    /** Heaviest first (a stable sort: catalog order between equal weights); standbys (weight 0) come last. */
    static List<Deployment> primaryFirst(List<Deployment> deployments) {
        return deployments.stream().sorted(Comparator.comparingInt(Deployment::weight).reversed()).toList();
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

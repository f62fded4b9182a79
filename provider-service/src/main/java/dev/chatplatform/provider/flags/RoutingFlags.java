package dev.chatplatform.provider.flags;

import dev.openfeature.sdk.Client;
import dev.openfeature.sdk.FlagEvaluationDetails;
import dev.openfeature.sdk.ImmutableContext;
import org.springframework.stereotype.Component;

import java.util.Map;

/**
 * The routing strategy rolled out behind a flag. {@value #WEIGHTED_ROUTING} (boolean): included callers
 * (variant {@code on}) get the model's deployments in weighted random order as configured; the others (the
 * off variant: control group and safe state, also after a kill or an automatic rollback) always get the
 * primary deployment first (the heaviest; catalog order between equals), the rest after it. Evaluated locally
 * per request with the account id as targeting key (sticky cohorts, no network call). An unknown flag (no
 * {@code flags.v1} record, or flags not loaded yet) keeps the behaviour from before the flag and tags nothing.
 */
@Component
public class RoutingFlags {

    public static final String WEIGHTED_ROUTING = "provider.weighted-routing";

    private final Client flags;

    RoutingFlags(Client flags) {
        this.flags = flags;
    }

    public RoutingDecision decide(String accountId) {
        FlagEvaluationDetails<Boolean> d = flags.getBooleanDetails(WEIGHTED_ROUTING, true, new ImmutableContext(accountId));
        if (d.getErrorCode() != null || d.getVariant() == null) {
            return RoutingDecision.UNFLAGGED;
        }
        return new RoutingDecision(Boolean.TRUE.equals(d.getValue()), Map.of(WEIGHTED_ROUTING, d.getVariant()));
    }
}

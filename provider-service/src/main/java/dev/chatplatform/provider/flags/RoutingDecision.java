package dev.chatplatform.provider.flags;

import java.util.Map;

/**
 * How one request's deployments are ordered, and the flag variants that decided it.
 *
 * @param weighted     true: weighted random order (each deployment first with probability weight / total);
 *                     false: primary first (descending weight, catalog order between equals)
 * @param flagVariants flag key → variant served, to tag the request's {@code llm-calls.v1} events; empty when
 *                     no flag decided (the flag is unknown here)
 */
public record RoutingDecision(boolean weighted, Map<String, String> flagVariants) {

    /** Without a flag: weighted, as before flags existed, and nothing tagged. */
    public static final RoutingDecision UNFLAGGED = new RoutingDecision(true, Map.of());

    public RoutingDecision {
        flagVariants = Map.copyOf(flagVariants);
    }
}

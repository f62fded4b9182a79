package dev.chatplatform.provider.auto;

import org.springframework.stereotype.Component;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The auto selections of requests in flight, by request id, so that each of their upstream calls'
 * {@code llm-calls.v1} events can carry {@code autoReason} without the routing layer knowing about auto.
 * The completion endpoint remembers a selection for exactly the duration of its routed call.
 */
@Component
public class AutoSelections {

    private final Map<String, AutoSelection> inFlight = new ConcurrentHashMap<>();

    public void remember(String requestId, AutoSelection selection) {
        if (selection != null) {
            inFlight.put(requestId, selection);
        }
    }

    public void forget(String requestId) {
        inFlight.remove(requestId);
    }

    /** The reason {@code model: "auto"} gave for the request, null when it named its model. */
    public String reasonFor(String requestId) {
        AutoSelection selection = inFlight.get(requestId);
        return selection == null ? null : selection.reason();
    }
}

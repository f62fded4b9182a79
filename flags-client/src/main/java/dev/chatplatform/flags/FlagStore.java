package dev.chatplatform.flags;

import dev.chatplatform.contracts.rollout.FlagChanged;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The last known state of every flag, kept in memory. A state only replaces an older version, so a replayed or
 * reordered event never rolls a flag back. Evaluating reads this map only: no network call, and when
 * rollout-service (or Kafka) is down evaluation goes on with the last state seen.
 */
public final class FlagStore {

    private final Map<String, CompiledFlag> flags = new ConcurrentHashMap<>();
    private final List<Consumer<String>> listeners = new CopyOnWriteArrayList<>();

    /** Applies a state; returns true when it was newer than what the store held. */
    public boolean apply(FlagChanged state) {
        boolean[] changed = {false};
        flags.compute(state.key(), (key, current) -> {
            if (current != null && current.version() >= state.version()) {
                return current;
            }
            changed[0] = true;
            return new CompiledFlag(state);
        });
        if (changed[0]) {
            listeners.forEach(l -> l.accept(state.key()));
        }
        return changed[0];
    }

    /** Forgets a flag (a tombstone on the compacted topic). */
    public void remove(String key) {
        if (flags.remove(key) != null) {
            listeners.forEach(l -> l.accept(key));
        }
    }

    public CompiledFlag get(String key) {
        return flags.get(key);
    }

    public Collection<CompiledFlag> all() {
        return flags.values();
    }

    public Evaluation evaluate(String key, FlagContext context, Overrides overrides) {
        CompiledFlag flag = flags.get(key);
        return flag == null ? Evaluation.notFound(key) : flag.evaluate(context, overrides);
    }

    /** Called with the flag key after every change. */
    public void onChange(Consumer<String> listener) {
        listeners.add(listener);
    }
}

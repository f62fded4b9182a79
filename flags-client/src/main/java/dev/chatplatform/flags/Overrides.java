package dev.chatplatform.flags;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The emergency switch set by environment, winning over everything stored: {@code ROLLOUT_KILL=flag-a,flag-b}
 * serves the off variant of those flags to everyone, and {@code ROLLOUT_PERCENT_<FLAG_KEY_UPPER_SNAKE>=10}
 * replaces a flag's stored rollout percentage (key upper-cased, every character other than A-Z and 0-9 turned
 * into '_': {@code hybrid-routing} → {@code ROLLOUT_PERCENT_HYBRID_ROUTING}). A stored kill or rollback still
 * wins over a percentage override: an environment variable can narrow exposure, never undo a safety action.
 */
public final class Overrides {

    public static final String KILL = "ROLLOUT_KILL";
    public static final String PERCENT_PREFIX = "ROLLOUT_PERCENT_";
    public static final Overrides NONE = new Overrides(Set.of(), Map.of());

    private static final Logger log = LoggerFactory.getLogger(Overrides.class);

    private final Set<String> killed;
    private final Map<String, Integer> percentages;

    private Overrides(Set<String> killed, Map<String, Integer> percentages) {
        this.killed = killed;
        this.percentages = percentages;
    }

    /** From this process's environment variables. */
    public static Overrides fromEnvironment() {
        return from(System.getenv());
    }

    /** From variables such as the environment's; unparseable percentages are ignored with a warning. */
    public static Overrides from(Map<String, String> variables) {
        String kill = variables.get(KILL);
        Set<String> killed = kill == null ? Set.of() : Arrays.stream(kill.split(","))
                .map(String::trim).filter(s -> !s.isEmpty()).collect(Collectors.toUnmodifiableSet());
        Map<String, Integer> percentages = new HashMap<>();
        variables.forEach((name, value) -> {
            if (name.startsWith(PERCENT_PREFIX) && name.length() > PERCENT_PREFIX.length()) {
                try {
                    int p = Integer.parseInt(value.trim());
                    if (p < 0 || p > 100) {
                        throw new NumberFormatException("out of 0..100");
                    }
                    percentages.put(name.substring(PERCENT_PREFIX.length()), p);
                } catch (NumberFormatException e) {
                    log.warn("ignoring {}={}: a percentage is an integer from 0 to 100", name, value);
                }
            }
        });
        return new Overrides(killed, Map.copyOf(percentages));
    }

    /** The environment variable suffix naming a flag: {@code hybrid-routing} → {@code HYBRID_ROUTING}. */
    public static String upperSnake(String flagKey) {
        return flagKey.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
    }

    public boolean isKilled(String flagKey) {
        return !killed.isEmpty() && killed.contains(flagKey);
    }

    public OptionalInt percentage(String flagKey) {
        if (percentages.isEmpty()) {
            return OptionalInt.empty();
        }
        Integer p = percentages.get(upperSnake(flagKey));
        return p == null ? OptionalInt.empty() : OptionalInt.of(p);
    }

    public Set<String> killedFlags() {
        return killed;
    }

    public Map<String, Integer> percentageOverrides() {
        return percentages;
    }
}

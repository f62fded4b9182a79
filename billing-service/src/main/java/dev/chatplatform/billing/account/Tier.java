package dev.chatplatform.billing.account;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** The billing tier; it decides limits elsewhere (rate limits in the gateway, quotas in usage-service). */
public enum Tier {
    FREE, BASIC, PRO, ENTERPRISE;

    /** The values accepted on the wire, for validation messages. */
    public static final String WIRE_PATTERN = "free|basic|pro|enterprise";

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Tier> fromWire(String wire) {
        return Arrays.stream(values()).filter(t -> t.wire().equals(wire)).findFirst();
    }
}

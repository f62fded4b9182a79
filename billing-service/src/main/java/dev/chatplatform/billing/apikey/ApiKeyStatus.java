package dev.chatplatform.billing.apikey;

import java.util.Locale;

public enum ApiKeyStatus {
    ACTIVE, REVOKED;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static ApiKeyStatus fromWire(String wire) {
        return valueOf(wire.toUpperCase(Locale.ROOT));
    }
}

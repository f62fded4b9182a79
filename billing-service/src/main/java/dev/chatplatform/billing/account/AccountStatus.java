package dev.chatplatform.billing.account;

import java.util.Locale;

public enum AccountStatus {
    ACTIVE, SUSPENDED, DELETED;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static AccountStatus fromWire(String wire) {
        return valueOf(wire.toUpperCase(Locale.ROOT));
    }
}

package org.btrelay.health;

import com.fasterxml.jackson.annotation.JsonValue;

/** How much more load a relay can take: browsers prefer {@code ok}, avoid {@code full}. */
public enum Capacity {
    OK, BUSY, FULL;

    @JsonValue
    public String wire() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    @com.fasterxml.jackson.annotation.JsonCreator
    public static Capacity of(String s) {
        for (Capacity c : values()) {
            if (c.wire().equals(s)) {
                return c;
            }
        }
        throw new IllegalArgumentException("unknown capacity state: " + s);
    }
}

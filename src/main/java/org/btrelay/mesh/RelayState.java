package org.btrelay.mesh;

import com.fasterxml.jackson.annotation.JsonValue;

/** Where this relay stands with another one. The APIs write the lowercase {@link #wire()} name. */
public enum RelayState {
    /** Being dialled. */
    CONNECTING("connecting"),
    /** An authenticated link, heartbeats arriving. */
    LINKED("linked"),
    /** Known, never reached. */
    UNREACHABLE("unreachable"),
    /** Was linked; the link is lost. */
    DOWN("down");

    private final String wire;

    RelayState(String wire) {
        this.wire = wire;
    }

    @JsonValue
    public String wire() {
        return wire;
    }

    @Override
    public String toString() {
        return wire;
    }
}

package org.btrelay.health;

import java.util.ArrayList;
import java.util.List;

/**
 * When a relay calls itself busy or full: by CPU (this machine's load) or by the share of its
 * connection limit in use, whichever is higher. A level is reached when a figure goes above its
 * threshold, so a threshold of 1 never triggers.
 */
public record CapacityThresholds(double busyCpu, double fullCpu, double busyConnections, double fullConnections) {
    public static final CapacityThresholds DEFAULTS = new CapacityThresholds(0.75, 0.95, 0.80, 0.95);

    public Capacity classify(double cpu, double connectionShare) {
        if (cpu > fullCpu || connectionShare > fullConnections) {
            return Capacity.FULL;
        }
        if (cpu > busyCpu || connectionShare > busyConnections) {
            return Capacity.BUSY;
        }
        return Capacity.OK;
    }

    public List<String> problems() {
        List<String> out = new ArrayList<>();
        if (!(0 < busyCpu && busyCpu <= fullCpu && fullCpu <= 1)) {
            out.add("capacity: need 0 < busyCpu <= fullCpu <= 1");
        }
        if (!(0 < busyConnections && busyConnections <= fullConnections && fullConnections <= 1)) {
            out.add("capacity: need 0 < busyConnections <= fullConnections <= 1");
        }
        return out;
    }
}

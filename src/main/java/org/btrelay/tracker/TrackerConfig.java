package org.btrelay.tracker;

/**
 * How the tracker behaves: the announce interval it asks clients to keep and its limits.
 * A peer that has not announced for two intervals (plus a short grace) is dropped.
 */
public record TrackerConfig(int intervalSeconds, Limits limits) {
    public static final int DEFAULT_INTERVAL_SECONDS = 120;
    static final int EXPIRY_GRACE_SECONDS = 15;

    public TrackerConfig {
        if (intervalSeconds < 1) {
            throw new IllegalArgumentException("interval must be at least 1 second");
        }
    }

    public static TrackerConfig defaults() {
        return new TrackerConfig(DEFAULT_INTERVAL_SECONDS, Limits.DEFAULTS);
    }

    long peerTimeoutNanos() {
        return (2L * intervalSeconds + EXPIRY_GRACE_SECONDS) * 1_000_000_000L;
    }

    long offerTimeoutNanos() {
        return limits.offerTimeoutSeconds() * 1_000_000_000L;
    }
}

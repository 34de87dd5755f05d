package org.btrelay.mesh;

/** A rate with bursts: {@code perSecond} tokens a second, at most {@code burst} saved up. Not thread-safe. */
final class TokenBucket {
    private final double perSecond;
    private final double burst;
    private double tokens;
    private long at;

    TokenBucket(double perSecond, double burst, long nowNanos) {
        this.perSecond = perSecond;
        this.burst = burst;
        this.tokens = burst;
        this.at = nowNanos;
    }

    /** Takes one token if there is one. */
    boolean take(long nowNanos) {
        tokens = Math.min(burst, tokens + Math.max(0, nowNanos - at) * perSecond / 1e9);
        at = nowNanos;
        if (tokens < 1) {
            return false;
        }
        tokens--;
        return true;
    }
}

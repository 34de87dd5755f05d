package org.btrelay.dht;

import java.time.Duration;
import java.util.Objects;

/**
 * How often a {@link DhtNode} announces and looks up its swarms.
 *
 * @param announceInterval   re-announce after a successful announce; stored peers expire after
 *                           60 minutes on other nodes, so keep this well below
 * @param fastLookupInterval lookups right after joining, while few relays are known
 * @param fastLookupPeriod   how long after joining lookups stay fast
 * @param lookupInterval     lookups after that
 * @param retryMin           first retry of an announce that reached nobody (DHT not ready yet);
 *                           doubles on every failure up to {@code retryMax}
 * @param retryMax           longest wait between failed announces
 * @param bootstrapRetry     how often bootstrap nodes are pinged again while the routing table is empty
 */
public record DhtTiming(Duration announceInterval, Duration fastLookupInterval, Duration fastLookupPeriod,
                        Duration lookupInterval, Duration retryMin, Duration retryMax, Duration bootstrapRetry) {

    /** Production: announce every 5 min, look up every 5 s for a minute, then every 3 min. */
    public static final DhtTiming DEFAULTS = new DhtTiming(Duration.ofMinutes(5), Duration.ofSeconds(5),
            Duration.ofMinutes(1), Duration.ofMinutes(3), Duration.ofSeconds(1), Duration.ofMinutes(1),
            Duration.ofSeconds(15));

    /** Labs and tests on loopback, where a round trip takes a millisecond. */
    public static final DhtTiming FAST = new DhtTiming(Duration.ofSeconds(30), Duration.ofMillis(500),
            Duration.ofSeconds(20), Duration.ofSeconds(5), Duration.ofMillis(200), Duration.ofSeconds(2),
            Duration.ofSeconds(1));

    public DhtTiming {
        for (Duration d : new Duration[] {announceInterval, fastLookupInterval, fastLookupPeriod, lookupInterval,
                retryMin, retryMax, bootstrapRetry}) {
            Objects.requireNonNull(d, "interval");
            if (d.isNegative()) {
                throw new IllegalArgumentException("negative interval: " + d);
            }
        }
        if (announceInterval.isZero() || fastLookupInterval.isZero() || lookupInterval.isZero()
                || retryMin.isZero() || bootstrapRetry.isZero()) {
            throw new IllegalArgumentException("intervals must be positive");
        }
        if (retryMax.compareTo(retryMin) < 0) {
            throw new IllegalArgumentException("retryMax < retryMin");
        }
    }
}

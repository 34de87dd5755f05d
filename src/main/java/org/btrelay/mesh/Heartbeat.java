package org.btrelay.mesh;

import java.util.Collection;
import java.util.List;
import java.util.function.Supplier;
import org.btrelay.health.Health;

/**
 * Liveness and load over links: this relay's health every {@link MeshTiming#health()}, a ping
 * every {@link MeshTiming#ping()} (the round-trip time), and the timeouts: a link that does not
 * finish its handshake, or from which neither health nor an answered ping arrives, is closed.
 * Mesh thread only.
 */
final class Heartbeat {
    private final MeshTiming timing;
    private final Supplier<Health> source;
    private final Directory directory;
    private final Link.Closer closer;
    private Health selfHealth;
    private long lastHealthSent;
    private long lastPingSent;

    Heartbeat(MeshTiming timing, Supplier<Health> source, Directory directory, Link.Closer closer) {
        this.timing = timing;
        this.source = source;
        this.directory = directory;
        this.closer = closer;
    }

    /** This relay's latest health, sampled at most once per health period. */
    Health selfHealth() {
        if (selfHealth == null) {
            selfHealth = source.get();
        }
        return selfHealth;
    }

    /** The latest sample, or {@code null} before the first. */
    Health current() {
        return selfHealth;
    }

    void sample() {
        selfHealth = source.get();
    }

    /**
     * Closes links past their timeouts, then sends health and pings when due.
     *
     * @param now   mesh clock, ms
     * @param all   every open link
     * @param up    the links that are up
     * @return whether this relay's own health was sampled anew
     */
    boolean tick(long now, Collection<Link> all, Supplier<List<Link>> up) {
        for (Link l : List.copyOf(all)) {
            if (!l.authenticated && now - l.openedAt > timing.handshakeTimeout().toMillis()) {
                closer.drop(l, LinkCloseCodes.TIMEOUT, "handshake timeout");
            } else if (l.authenticated && now - Math.max(l.lastHeard, l.openedAt) > timing.heartbeatTimeout().toMillis()) {
                closer.drop(l, LinkCloseCodes.TIMEOUT, "no heartbeat");
            }
        }
        boolean sampled = false;
        if (now - lastHealthSent >= timing.health().toMillis()) {
            lastHealthSent = now;
            sample();
            sampled = true;
            for (Link l : up.get()) {
                l.send(new LinkMessage.HealthReport(selfHealth));
            }
        }
        if (now - lastPingSent >= timing.ping().toMillis()) {
            lastPingSent = now;
            for (Link l : up.get()) {
                l.pingN++;
                l.pingSentNanos = System.nanoTime();
                l.send(new LinkMessage.Ping(l.pingN));
            }
        }
        return sampled;
    }

    /** A link just came up: our health at once, not at the next period. */
    void greet(Link link) {
        link.send(new LinkMessage.HealthReport(selfHealth()));
    }

    void onHealth(Link link, LinkMessage.HealthReport report, long now) {
        Health h = report.health();
        List<String> problems = h == null ? List.of("no health") : h.problems();
        if (!problems.isEmpty()) {
            closer.drop(link, LinkCloseCodes.BAD_MESSAGE, "impossible health: " + problems.get(0));
            return;
        }
        Directory.Entry e = directory.get(link.relayId());
        if (e == null || e.link != link) {
            return;
        }
        link.lastHeard = now;
        directory.health(e, h, System.currentTimeMillis());
    }

    void onPing(Link link, LinkMessage.Ping p) {
        link.send(new LinkMessage.Pong(p.n()));
    }

    void onPong(Link link, LinkMessage.Pong p, long now) {
        if (p.n() != link.pingN || link.pingSentNanos == 0) {
            return;
        }
        Directory.Entry e = directory.get(link.relayId());
        if (e != null && e.link == link) {
            // Shown with the next health sample: a new snapshot per pong would cost more than it tells.
            e.rttMs = Math.round((System.nanoTime() - link.pingSentNanos) / 1e4) / 100.0;
            if (!link.has(Capabilities.HEALTH)) {
                // Without health messages, answered pings are what says the link is alive.
                link.lastHeard = now;
            }
        }
        link.pingSentNanos = 0;
    }
}

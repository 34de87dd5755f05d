package org.btrelay.mesh;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.btrelay.health.Health;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every relay this one knows of (from the DHT, {@code --peer}, gossip or the cache), by id: its
 * latest signed record, its state, its link if one is up, and its recent health. Bounded; when
 * full, the relay seen longest ago without a link makes room. Mesh thread only.
 */
final class Directory {
    private static final Logger log = LoggerFactory.getLogger(Directory.class);
    static final int MAX_RELAYS = 1000;
    /** Health samples kept per relay: 10 minutes at the default 5 s. */
    static final int HISTORY = 120;

    /** One relay we know of. */
    static final class Entry {
        RelayRecord record;
        RelayState state = RelayState.UNREACHABLE;
        Link link;
        /** host:port where this relay (or whoever told us) reached it; an unsigned hint. */
        String address;
        Health health;
        final ArrayDeque<Health> history = new ArrayDeque<>();
        Double rttMs;
        /** Wall clock, ms. */
        long lastSeen;
        boolean everLinked;
    }

    private final int capacity;
    private final Map<String, Entry> entries = new HashMap<>();
    /** Something worth saving to the cache changed. */
    private boolean dirty;
    /** Something the snapshot shows changed. */
    private boolean changed;

    Directory() {
        this(MAX_RELAYS);
    }

    Directory(int capacity) {
        this.capacity = capacity;
    }

    Entry get(String relayId) {
        return entries.get(relayId);
    }

    Collection<Entry> all() {
        return entries.values();
    }

    int size() {
        return entries.size();
    }

    /** Adds or refreshes a relay from a verified record (a newer one replaces an older); null when full. */
    Entry learn(RelayRecord r, String address) {
        Entry e = entries.get(r.id());
        if (e == null) {
            if (entries.size() >= capacity && !evictOne()) {
                return null;
            }
            e = new Entry();
            entries.put(r.id(), e);
            log.info("learned of relay {} '{}'", Mesh.shortId(r.id()), r.name());
            dirty = true;
        }
        if (e.record == null || r.timestamp() >= e.record.timestamp()) {
            if (e.record == null || r.timestamp() > e.record.timestamp()) {
                dirty = true;
            }
            e.record = r;
        }
        if (address != null && e.address == null) {
            e.address = address;
        }
        changed = true;
        return e;
    }

    /** Makes room by forgetting the relay seen longest ago that has no link; false when every one has a link. */
    private boolean evictOne() {
        return entries.entrySet().stream()
                .filter(x -> x.getValue().link == null)
                .min(Comparator.comparingLong(x -> x.getValue().lastSeen))
                .map(x -> entries.remove(x.getKey()) != null)
                .orElse(false);
    }

    /** Records a health sample of a linked relay, keeping the last {@link #HISTORY}. */
    void health(Entry e, Health h, long nowMillis) {
        e.health = h;
        e.lastSeen = nowMillis;
        e.history.addLast(h);
        while (e.history.size() > HISTORY) {
            e.history.removeFirst();
        }
        changed = true;
    }

    void state(Entry e, RelayState state) {
        if (e.state != state) {
            e.state = state;
            changed = true;
        }
    }

    List<Health> history(String relayId) {
        Entry e = entries.get(relayId);
        return e == null ? List.of() : List.copyOf(e.history);
    }

    void changed() {
        changed = true;
    }

    void dirty() {
        dirty = true;
    }

    boolean isDirty() {
        return dirty;
    }

    void saved() {
        dirty = false;
    }

    /** Whether the snapshot is stale, and from now on it is not. */
    boolean takeChanged() {
        boolean c = changed;
        changed = false;
        return c;
    }

    /** What readers see: this relay first, then every known relay. */
    List<RelayView> views(RelayRecord self, Health selfHealth, long nowMillis) {
        List<RelayView> out = new ArrayList<>(entries.size() + 1);
        out.add(new RelayView(self.id(), self.name(), self.software(), self.httpUrl(), self.trackers(), self.swarms(),
                RelayState.LINKED, 0.0, selfHealth, nowMillis, true));
        for (Entry e : entries.values()) {
            RelayRecord r = e.record;
            List<String> trackers = r.trackers();
            if (trackers.isEmpty() && e.address != null) {
                trackers = List.of("ws://" + e.address + "/announce");
            }
            out.add(new RelayView(r.id(), r.name(), r.software(), r.httpUrl(), trackers, r.swarms(), e.state, e.rttMs,
                    e.health, e.lastSeen, false));
        }
        return List.copyOf(out);
    }
}

package org.btrelay.ui.service;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.btrelay.app.RelayNode;
import org.btrelay.concurrent.DaemonThreads;
import org.btrelay.dht.DhtNode;
import org.btrelay.dht.DhtStatus;
import org.btrelay.health.Health;
import org.btrelay.health.HealthSampler;
import org.btrelay.mesh.Mesh;
import org.btrelay.mesh.RelayView;
import org.btrelay.tracker.Id20;
import org.btrelay.tracker.SwarmCounts;
import org.btrelay.tracker.TrackerStats;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the relay's state on its own thread at a fixed pace and keeps the latest
 * {@link Snapshot}. The UI polls {@link #latest()}; nothing here ever calls into the UI, so a
 * busy relay cannot flood it. Expensive parts (the torrent list, a relay's history, which waits
 * on the mesh thread) are only read while a view asks for them.
 */
public final class Sampler implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Sampler.class);
    /** Rows of the torrents table. */
    public static final int MAX_TORRENTS = 1000;

    private final NodeService service;
    private final Duration every;
    private final Duration chartEvery;
    private final ScheduledExecutorService thread = DaemonThreads.singleScheduled("dashboard-sampler");
    private final AtomicReference<Snapshot> latest = new AtomicReference<>();
    private volatile boolean wantTorrents;
    private volatile String historyOf;
    private long seq;
    private long lastChartSample;
    private RelayNode sampledNode;
    private HealthSampler healthSampler;

    public Sampler(NodeService service, Duration every, Duration chartEvery) {
        this.service = service;
        this.every = every;
        this.chartEvery = chartEvery;
    }

    public Sampler start() {
        thread.scheduleWithFixedDelay(this::sampleGuarded, 0, every.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    /** The newest snapshot, or {@code null} before the first. */
    public Snapshot latest() {
        return latest.get();
    }

    /** Whether snapshots should carry the torrent list (while the Torrents view is shown). */
    public void wantTorrents(boolean want) {
        this.wantTorrents = want;
    }

    /** Include this relay's health history in snapshots ({@code null}: none). */
    public void historyOf(String relayId) {
        this.historyOf = relayId;
    }

    /** Takes a snapshot now, on the sampler thread (after an action, so the UI catches up at once). */
    public void poke() {
        try {
            thread.execute(this::sampleGuarded);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // closing
        }
    }

    private void sampleGuarded() {
        try {
            latest.set(sample());
        } catch (RuntimeException e) {
            log.warn("dashboard sample failed: {}", e.toString());
        }
    }

    private Snapshot sample() {
        long now = System.currentTimeMillis();
        NodeService.Status st = service.status();
        RelayNode node = st.node();
        if (node == null || node.mesh() == null) {
            sampledNode = null;
            healthSampler = null;
            return new Snapshot(++seq, now, st.phase(), st.message(), st.settings(), null, null, List.of(),
                    st.settings().swarms(), null, null, null, 0, null, List.of());
        }
        Mesh mesh = node.mesh();
        if (node != sampledNode) {
            sampledNode = node;
            healthSampler = new HealthSampler(node.tracker().stats()::snapshot,
                    node.settings().limits().maxConnections(), node.settings().capacity(), st.startedAtMillis());
            lastChartSample = 0;
        }
        Snapshot.NodeInfo info = new Snapshot.NodeInfo(node.id(), node.settings().name(), node.wsUrl(),
                node.httpUrl(), node.port(), st.startedAtMillis(), node.settings());
        TrackerStats.Snapshot stats = node.tracker().stats().snapshot();
        List<RelayView> relays = mesh.relays();
        DhtNode dht = node.dht();
        DhtStatus dhtStatus = dht == null ? null : dht.status();
        Health health = null;
        if (now - lastChartSample >= chartEvery.toMillis() - every.toMillis() / 2) {
            lastChartSample = now;
            health = healthSampler.sample();
        }
        List<Snapshot.TorrentInfo> torrents = null;
        int torrentCount = (int) Math.min(Integer.MAX_VALUE, stats.torrents());
        if (wantTorrents) {
            Map<Id20, SwarmCounts> t = node.tracker().torrents(MAX_TORRENTS);
            torrents = new ArrayList<>(t.size());
            for (Map.Entry<Id20, SwarmCounts> e : t.entrySet()) {
                SwarmCounts c = e.getValue();
                torrents.add(new Snapshot.TorrentInfo(e.getKey().toHex(), c.complete(), c.incomplete(), c.downloaded()));
            }
        }
        String of = historyOf;
        List<Health> history = of == null ? List.of() : mesh.history(of);
        return new Snapshot(++seq, now, st.phase(), st.message(), st.settings(), info, stats, relays,
                mesh.selfRecord().swarms(), dhtStatus, health, torrents, torrentCount, of, history);
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}

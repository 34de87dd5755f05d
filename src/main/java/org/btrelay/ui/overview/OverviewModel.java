package org.btrelay.ui.overview;

import java.time.Duration;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import org.btrelay.app.Version;
import org.btrelay.dht.DhtStatus;
import org.btrelay.health.Health;
import org.btrelay.tracker.TrackerStats;
import org.btrelay.ui.common.Format;
import org.btrelay.ui.common.SnapshotListener;
import org.btrelay.ui.common.TimeSeries;
import org.btrelay.ui.service.NodeService;
import org.btrelay.ui.service.Snapshot;

/** This relay at a glance: state, addresses, DHT, counters and the last ten minutes as charts. */
public final class OverviewModel implements SnapshotListener {
    public static final Duration WINDOW = Duration.ofMinutes(10);
    private static final double MIB = 1024.0 * 1024.0;

    private final ReadOnlyStringWrapper name = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper state = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper stateStyle = new ReadOnlyStringWrapper("stopped");
    private final ReadOnlyStringWrapper subtitle = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper wsUrl = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper httpUrl = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper statsUrl = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper relayId = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper dht = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper connections = new ReadOnlyStringWrapper("–");
    private final ReadOnlyStringWrapper peers = new ReadOnlyStringWrapper("–");
    private final ReadOnlyStringWrapper torrents = new ReadOnlyStringWrapper("–");
    private final ReadOnlyStringWrapper announces = new ReadOnlyStringWrapper("–");
    private final ReadOnlyStringWrapper offers = new ReadOnlyStringWrapper("–");
    private final ReadOnlyStringWrapper peersDetail = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper startStopText = new ReadOnlyStringWrapper("Stop relay");
    private final TimeSeries cpu = new TimeSeries(WINDOW, "This relay", "Machine");
    private final TimeSeries memory = new TimeSeries(WINDOW, "Heap used");
    private final TimeSeries load = new TimeSeries(WINDOW, "Connections", "Peers");
    private final TimeSeries messages = new TimeSeries(WINDOW, "Announces", "Offers", "Answers");
    private NodeService.Phase phase = NodeService.Phase.STOPPED;

    @Override
    public void apply(Snapshot s) {
        phase = s.phase();
        name.set(s.node() != null ? s.node().name() : s.settings().name());
        state.set(switch (s.phase()) {
            case RUNNING -> "Running";
            case STARTING -> "Starting…";
            case STOPPING -> "Stopping…";
            case STOPPED -> "Stopped";
            case FAILED -> "Failed";
        });
        stateStyle.set(s.phase().name().toLowerCase(java.util.Locale.ROOT));
        startStopText.set(s.phase() == NodeService.Phase.RUNNING || s.phase() == NodeService.Phase.STARTING
                ? "Stop relay" : "Start relay");
        Snapshot.NodeInfo n = s.node();
        if (n == null) {
            subtitle.set(s.message() != null ? s.message() : "bittorrent-relay " + Version.get());
            wsUrl.set("");
            httpUrl.set("");
            statsUrl.set("");
            relayId.set("");
            dht.set(s.settings().dht() ? "not running" : "off");
            return;
        }
        long up = Math.max(0, (s.timeMillis() - n.startedAtMillis()) / 1000);
        subtitle.set("up " + Format.duration(up) + " · bittorrent-relay " + Version.get() + " · port " + n.port());
        wsUrl.set(n.wsUrl() + "announce");
        httpUrl.set(n.httpUrl() + "announce");
        statsUrl.set(n.httpUrl() + "stats");
        relayId.set(n.id());
        dht.set(dhtText(s.dht(), s.settings().dht()));
        TrackerStats.Snapshot st = s.stats();
        connections.set(Format.count(st.connections()));
        peers.set(Format.count(st.peers()));
        peersDetail.set(Format.count(st.seeders()) + " seeders · " + Format.count(st.leechers()) + " leechers");
        torrents.set(Format.count(st.torrents()));
        announces.set(Format.rate(st.announcesPerSecond()));
        offers.set(Format.rate(st.offersForwardedPerSecond()));
        Health h = s.health();
        if (h != null) {
            long t = s.timeMillis();
            cpu.add(t, h.cpuProcess() * 100, h.cpuSystem() * 100);
            memory.add(t, h.memUsed() / MIB);
            load.add(t, st.connections(), st.peers());
            messages.add(t, st.announcesPerSecond(), st.offersForwardedPerSecond(), st.answersForwardedPerSecond());
        }
    }

    static String dhtText(DhtStatus d, boolean enabled) {
        if (!enabled) {
            return "off (links only to the relays named in the settings)";
        }
        if (d == null || !d.running()) {
            return "not running";
        }
        String pub = d.publicAddress() == null ? "public address not known yet"
                : "public address " + d.publicAddress().getAddress().getHostAddress() + ":" + d.publicAddress().getPort();
        return d.routingTableSize() + " nodes in the routing table · " + pub;
    }

    public boolean running() {
        return phase == NodeService.Phase.RUNNING || phase == NodeService.Phase.STARTING;
    }

    public ReadOnlyStringProperty name() { return name.getReadOnlyProperty(); }
    public ReadOnlyStringProperty state() { return state.getReadOnlyProperty(); }
    public ReadOnlyStringProperty stateStyle() { return stateStyle.getReadOnlyProperty(); }
    public ReadOnlyStringProperty subtitle() { return subtitle.getReadOnlyProperty(); }
    public ReadOnlyStringProperty wsUrl() { return wsUrl.getReadOnlyProperty(); }
    public ReadOnlyStringProperty httpUrl() { return httpUrl.getReadOnlyProperty(); }
    public ReadOnlyStringProperty statsUrl() { return statsUrl.getReadOnlyProperty(); }
    public ReadOnlyStringProperty relayId() { return relayId.getReadOnlyProperty(); }
    public ReadOnlyStringProperty dht() { return dht.getReadOnlyProperty(); }
    public ReadOnlyStringProperty connections() { return connections.getReadOnlyProperty(); }
    public ReadOnlyStringProperty peers() { return peers.getReadOnlyProperty(); }
    public ReadOnlyStringProperty peersDetail() { return peersDetail.getReadOnlyProperty(); }
    public ReadOnlyStringProperty torrents() { return torrents.getReadOnlyProperty(); }
    public ReadOnlyStringProperty announces() { return announces.getReadOnlyProperty(); }
    public ReadOnlyStringProperty offers() { return offers.getReadOnlyProperty(); }
    public ReadOnlyStringProperty startStopText() { return startStopText.getReadOnlyProperty(); }
    public TimeSeries cpu() { return cpu; }
    public TimeSeries memory() { return memory; }
    public TimeSeries load() { return load; }
    public TimeSeries messages() { return messages; }
}

package org.btrelay.ui.relays;

import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import org.btrelay.health.Health;
import org.btrelay.mesh.RelayView;
import org.btrelay.ui.common.Format;

/** One row of the relays table, updated in place so selection and sorting survive refreshes. */
public final class RelayRow {
    final String id;
    final boolean self;
    final StringProperty name = new SimpleStringProperty();
    final StringProperty url = new SimpleStringProperty();
    final StringProperty state = new SimpleStringProperty();
    final ObjectProperty<Double> rtt = new SimpleObjectProperty<>();
    final ObjectProperty<Double> cpu = new SimpleObjectProperty<>();
    final ObjectProperty<Long> memory = new SimpleObjectProperty<>();
    final StringProperty memoryText = new SimpleStringProperty();
    final ObjectProperty<Long> peers = new SimpleObjectProperty<>();
    final StringProperty capacity = new SimpleStringProperty();
    final StringProperty version = new SimpleStringProperty();
    final StringProperty swarms = new SimpleStringProperty();
    final ObjectProperty<Long> lastSeen = new SimpleObjectProperty<>();
    final StringProperty lastSeenText = new SimpleStringProperty();

    RelayRow(String id, boolean self) {
        this.id = id;
        this.self = self;
    }

    /** @return whether something the swarm picture shows (name, state) changed */
    boolean update(RelayView v, long now) {
        String newState = v.self() ? "this relay" : v.state();
        boolean changed = !newState.equals(state.get()) || !v.name().equals(name.get());
        name.set(v.name());
        url.set(shortUrl(v.httpUrl()));
        state.set(newState);
        rtt.set(v.self() ? null : v.rttMs());
        Health h = v.health();
        cpu.set(h == null ? null : h.cpuProcess() * 100);
        memory.set(h == null ? null : h.memUsed());
        memoryText.set(h == null ? "" : Format.bytes(h.memUsed()) + " of " + Format.bytes(h.memMax()));
        peers.set(h == null ? null : h.peers());
        capacity.set(h == null ? "" : h.capacity().wire());
        version.set(v.software() == null ? "" : v.software().replaceFirst("^bittorrent-relay/", ""));
        swarms.set(String.join(", ", v.swarms()));
        lastSeen.set(v.self() ? now : v.lastSeenMillis());
        lastSeenText.set(v.self() ? "now" : Format.ago(v.lastSeenMillis(), now));
        return changed;
    }

    /** http://relay.example.org:10509/ → relay.example.org:10509 (https stays written out). */
    static String shortUrl(String url) {
        if (url == null) {
            return "";
        }
        String u = url.startsWith("http://") ? url.substring(7) : url;
        return u.endsWith("/") ? u.substring(0, u.length() - 1) : u;
    }

    public String id() { return id; }
    public boolean self() { return self; }
    public StringProperty nameProperty() { return name; }
    public StringProperty urlProperty() { return url; }
    public StringProperty stateProperty() { return state; }
    public ObjectProperty<Double> rttProperty() { return rtt; }
    public ObjectProperty<Double> cpuProperty() { return cpu; }
    public ObjectProperty<Long> memoryProperty() { return memory; }
    public StringProperty memoryTextProperty() { return memoryText; }
    public ObjectProperty<Long> peersProperty() { return peers; }
    public StringProperty capacityProperty() { return capacity; }
    public StringProperty versionProperty() { return version; }
    public StringProperty swarmsProperty() { return swarms; }
    public ObjectProperty<Long> lastSeenProperty() { return lastSeen; }
    public StringProperty lastSeenTextProperty() { return lastSeenText; }
}

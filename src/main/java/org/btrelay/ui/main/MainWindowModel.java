package org.btrelay.ui.main;

import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import org.btrelay.mesh.RelayState;
import org.btrelay.mesh.RelayView;
import org.btrelay.ui.common.Format;
import org.btrelay.ui.service.Snapshot;
import org.btrelay.ui.common.SnapshotListener;

/** What the status bar says: the relay's state, its address, the mesh in a few words, the last event. */
public final class MainWindowModel implements SnapshotListener {
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");
    private final StringProperty status = new SimpleStringProperty("Starting…");
    private final StringProperty mesh = new SimpleStringProperty("");
    private final StringProperty peers = new SimpleStringProperty("");
    private final StringProperty lastEvent = new SimpleStringProperty("");

    @Override
    public void apply(Snapshot s) {
        if (s.node() == null) {
            status.set(switch (s.phase()) {
                case STARTING -> "Starting the relay…";
                case STOPPING -> "Stopping the relay…";
                case FAILED -> "The relay did not start: " + s.message();
                default -> "The relay is stopped";
            });
            mesh.set("");
            peers.set("");
            return;
        }
        status.set("Relay running · " + s.node().wsUrl() + "announce");
        long linked = s.relays().stream().filter(r -> !r.self() && r.relayState() == RelayState.LINKED).count();
        long known = s.relays().stream().filter(r -> !r.self()).count();
        mesh.set(linked + " of " + known + " relays linked");
        peers.set(Format.count(s.stats().peers()) + " peers · " + Format.count(s.stats().torrents()) + " torrents");
        if (s.relays().stream().anyMatch(RelayView::full)) {
            mesh.set(mesh.get() + " · some full");
        }
    }

    /** A relay went down or came back: shown in the status bar with the time. */
    public void event(String text) {
        lastEvent.set(LocalTime.now().format(CLOCK) + "  " + text);
    }

    public StringProperty status() { return status; }
    public StringProperty mesh() { return mesh; }
    public StringProperty peers() { return peers; }
    public StringProperty lastEvent() { return lastEvent; }
}

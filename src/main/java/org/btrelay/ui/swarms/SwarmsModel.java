package org.btrelay.ui.swarms;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import javafx.application.Platform;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.btrelay.app.RelaySettings;
import org.btrelay.mesh.RelayState;
import org.btrelay.mesh.RelayView;
import org.btrelay.ui.common.SnapshotListener;
import org.btrelay.ui.service.NodeService;
import org.btrelay.ui.service.Sampler;
import org.btrelay.ui.service.Snapshot;

/** The swarms this relay is in (as saved), their relay counts, and joining and leaving. */
public final class SwarmsModel implements SnapshotListener {
    static final int MAX_KEY = 128;

    private final NodeService service;
    private final Sampler sampler;
    private final ObservableList<SwarmRow> rows = FXCollections.observableArrayList();
    private final Map<String, SwarmRow> byKey = new HashMap<>();
    private final BooleanProperty defaultJoined = new SimpleBooleanProperty();
    private final BooleanProperty busy = new SimpleBooleanProperty();
    private final StringProperty message = new SimpleStringProperty("");

    public SwarmsModel(NodeService service, Sampler sampler) {
        this.service = service;
        this.sampler = sampler;
    }

    @Override
    public void apply(Snapshot s) {
        List<String> keys = s.settings().swarms();
        Set<String> live = new HashSet<>(s.swarms());
        rows.removeIf(r -> !keys.contains(r.key));
        byKey.keySet().retainAll(keys);
        for (int i = 0; i < keys.size(); i++) {
            String k = keys.get(i);
            SwarmRow row = byKey.get(k);
            if (row == null) {
                row = new SwarmRow(k);
                byKey.put(k, row);
                rows.add(Math.min(i, rows.size()), row);
            }
            int relays = 0;
            int linked = 0;
            for (RelayView v : s.relays()) {
                if (!v.self() && v.swarms().contains(k)) {
                    relays++;
                    if (v.relayState() == RelayState.LINKED) {
                        linked++;
                    }
                }
            }
            row.relays.set(relays);
            row.linked.set(linked);
            row.note.set(s.node() == null ? "joins when the relay runs"
                    : !live.contains(k) ? "joining…"
                    : RelaySettings.DEFAULT_SWARM.equals(k) ? "the default swarm" : "");
        }
        defaultJoined.set(keys.contains(RelaySettings.DEFAULT_SWARM));
    }

    public void joinDefault() {
        join(RelaySettings.DEFAULT_SWARM);
    }

    /** @return whether the key was acceptable (otherwise {@link #message()} says why) */
    public boolean join(String key) {
        String k = key == null ? "" : key.trim();
        if (k.isEmpty()) {
            message.set("Type a swarm key first.");
            return false;
        }
        if (k.length() > MAX_KEY) {
            message.set("A swarm key has at most " + MAX_KEY + " characters.");
            return false;
        }
        if (byKey.containsKey(k)) {
            message.set("Already in swarm '" + k + "'.");
            return false;
        }
        run(service.joinSwarm(k), "Joined swarm '" + k + "'.");
        return true;
    }

    public void leave(String key) {
        run(service.leaveSwarm(key), "Left swarm '" + key + "'.");
    }

    private void run(CompletableFuture<Void> action, String done) {
        busy.set(true);
        message.set("");
        action.whenComplete((r, e) -> {
            sampler.poke();
            Platform.runLater(() -> {
                busy.set(false);
                message.set(e == null ? done : "Failed: " + rootMessage(e));
            });
        });
    }

    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t instanceof java.util.concurrent.CompletionException) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.toString() : t.getMessage();
    }

    public ObservableList<SwarmRow> rows() { return rows; }
    public BooleanProperty defaultJoined() { return defaultJoined; }
    public BooleanProperty busy() { return busy; }
    public StringProperty message() { return message; }
}

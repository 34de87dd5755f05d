package org.btrelay.ui.relays;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.collections.transformation.FilteredList;
import org.btrelay.health.Health;
import org.btrelay.mesh.RelayState;
import org.btrelay.mesh.RelayView;
import org.btrelay.ui.common.SnapshotListener;
import org.btrelay.ui.common.TimeSeries;
import org.btrelay.ui.service.Sampler;
import org.btrelay.ui.service.Snapshot;

/**
 * The relays this one knows (through the DHT, --peer and gossip), as table rows; the selected
 * relay's health history; and word of relays going down or coming back.
 */
public final class RelaysModel implements SnapshotListener {
    /** The most rows kept; the mesh itself keeps at most 1000 relays. */
    static final int MAX_ROWS = 1000;
    static final int MAX_EVENTS_PER_APPLY = 3;

    private final Sampler sampler;
    private final ObservableList<RelayRow> rows = FXCollections.observableArrayList();
    private final FilteredList<RelayRow> filtered = new FilteredList<>(rows);
    private final Map<String, RelayRow> byId = new HashMap<>();
    private final StringProperty filter = new SimpleStringProperty("");
    private final StringProperty summary = new SimpleStringProperty("");
    private final ObjectProperty<RelayRow> selected = new SimpleObjectProperty<>();
    private final StringProperty selectedTitle = new SimpleStringProperty("Select a relay to see its health");
    private final IntegerProperty pictureVersion = new SimpleIntegerProperty();
    private final TimeSeries historyCpu = new TimeSeries(Duration.ofMinutes(10), "CPU");
    private final TimeSeries historyLoad = new TimeSeries(Duration.ofMinutes(10), "Connections", "Peers");
    private final ArrayDeque<Health> selfHistory = new ArrayDeque<>();
    private final Map<String, RelayState> lastState = new HashMap<>();
    private Consumer<String> events = m -> { };
    private long lastHistoryTimestamp = -1;

    public RelaysModel(Sampler sampler) {
        this.sampler = sampler;
        filter.addListener((o, a, b) -> refilter());
        selected.addListener((o, a, b) -> {
            sampler.historyOf(b == null || b.self ? null : b.id);
            lastHistoryTimestamp = -1;
            historyCpu.clear();
            historyLoad.clear();
            selectedTitle.set(b == null ? "Select a relay to see its health"
                    : b.name.get() + (b.self ? " (this relay)" : "") + " — health");
            if (b != null) {
                sampler.poke();
            }
        });
    }

    /** Who hears of relays going down or coming back (the notifications). */
    public void onEvent(Consumer<String> listener) {
        this.events = listener;
    }

    @Override
    public void apply(Snapshot s) {
        long now = s.timeMillis();
        if (s.health() != null) {
            selfHistory.addLast(s.health());
            while (selfHistory.size() > 600) {
                selfHistory.removeFirst();
            }
        }
        List<RelayView> relays = s.relays();
        Set<String> seen = new HashSet<>();
        boolean pictureChanged = false;
        List<RelayRow> added = new ArrayList<>();
        List<String> news = new ArrayList<>();
        for (RelayView v : relays) {
            if (seen.size() >= MAX_ROWS) {
                break;
            }
            seen.add(v.id());
            RelayRow row = byId.get(v.id());
            if (row == null) {
                row = new RelayRow(v.id(), v.self());
                byId.put(v.id(), row);
                added.add(row);
                pictureChanged = true;
            }
            pictureChanged |= row.update(v, now);
            if (!v.self()) {
                RelayState before = lastState.put(v.id(), v.relayState());
                if (before == RelayState.LINKED && v.relayState() == RelayState.DOWN) {
                    news.add(v.name() + " went down");
                } else if ((before == RelayState.DOWN || before == RelayState.UNREACHABLE) && v.relayState() == RelayState.LINKED) {
                    news.add(v.name() + " is back");
                }
            }
        }
        if (!added.isEmpty()) {
            rows.addAll(added);
        }
        if (byId.size() > seen.size()) {
            byId.keySet().retainAll(seen);
            lastState.keySet().retainAll(seen);
            rows.removeIf(r -> !seen.contains(r.id));
            pictureChanged = true;
            if (selected.get() != null && !seen.contains(selected.get().id)) {
                selected.set(null);
            }
        }
        if (pictureChanged) {
            pictureVersion.set(pictureVersion.get() + 1);
            if (!filter.get().isBlank()) {
                refilter();
            }
        }
        long linked = relays.stream().filter(r -> !r.self() && r.relayState() == RelayState.LINKED).count();
        long down = relays.stream().filter(r -> r.relayState() == RelayState.DOWN).count();
        summary.set((relays.isEmpty() ? 0 : relays.size() - 1) + " other relays · " + linked + " linked"
                + (down > 0 ? " · " + down + " down" : ""));
        if (news.size() > MAX_EVENTS_PER_APPLY) {
            events.accept(news.size() + " relays changed state: " + String.join(", ", news.subList(0, MAX_EVENTS_PER_APPLY)) + ", …");
        } else {
            news.forEach(events);
        }
        updateHistory(s);
    }

    private void updateHistory(Snapshot s) {
        RelayRow sel = selected.get();
        if (sel == null) {
            return;
        }
        List<Health> h;
        if (sel.self) {
            h = new ArrayList<>(selfHistory);
        } else if (sel.id.equals(s.historyOf())) {
            h = s.history();
        } else {
            return;
        }
        long newest = h.isEmpty() ? 0 : h.get(h.size() - 1).timestamp();
        if (newest == lastHistoryTimestamp) {
            return;
        }
        lastHistoryTimestamp = newest;
        List<Long> times = new ArrayList<>(h.size());
        List<double[]> cpu = new ArrayList<>(h.size());
        List<double[]> load = new ArrayList<>(h.size());
        for (Health x : h) {
            times.add(x.timestamp());
            cpu.add(new double[] {x.cpuProcess() * 100});
            load.add(new double[] {x.connections(), x.peers()});
        }
        historyCpu.replace(times, cpu);
        historyLoad.replace(times, load);
    }

    private void refilter() {
        String f = filter.get() == null ? "" : filter.get().trim().toLowerCase(Locale.ROOT);
        if (f.isEmpty()) {
            filtered.setPredicate(null);
            return;
        }
        filtered.setPredicate(r -> contains(r.name.get(), f) || contains(r.url.get(), f) || contains(r.state.get(), f)
                || contains(r.swarms.get(), f) || contains(r.version.get(), f) || r.id.startsWith(f));
    }

    private static boolean contains(String s, String f) {
        return s != null && s.toLowerCase(Locale.ROOT).contains(f);
    }

    public ObservableList<RelayRow> rows() { return rows; }
    public FilteredList<RelayRow> filtered() { return filtered; }
    public StringProperty filter() { return filter; }
    public StringProperty summary() { return summary; }
    public ObjectProperty<RelayRow> selected() { return selected; }
    public StringProperty selectedTitle() { return selectedTitle; }
    public IntegerProperty pictureVersion() { return pictureVersion; }
    public TimeSeries historyCpu() { return historyCpu; }
    public TimeSeries historyLoad() { return historyLoad; }
}

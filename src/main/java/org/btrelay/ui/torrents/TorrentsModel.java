package org.btrelay.ui.torrents;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.collections.transformation.FilteredList;
import org.btrelay.ui.common.Format;
import org.btrelay.ui.common.SnapshotListener;
import org.btrelay.ui.service.Sampler;
import org.btrelay.ui.service.Snapshot;

/** The tracker's torrents (up to {@link Sampler#MAX_TORRENTS}), read only while the view is shown. */
public final class TorrentsModel implements SnapshotListener {
    private final Sampler sampler;
    private final ObservableList<TorrentRow> rows = FXCollections.observableArrayList();
    private final FilteredList<TorrentRow> filtered = new FilteredList<>(rows);
    private final Map<String, TorrentRow> byHash = new HashMap<>();
    private final StringProperty filter = new SimpleStringProperty("");
    private final StringProperty summary = new SimpleStringProperty("");

    public TorrentsModel(Sampler sampler) {
        this.sampler = sampler;
        filter.addListener((o, a, b) -> {
            String f = b == null ? "" : b.trim().toLowerCase(Locale.ROOT);
            filtered.setPredicate(f.isEmpty() ? null : r -> r.infoHash.contains(f));
        });
    }

    /** The view is shown (or hidden): only then does the sampler walk the torrents. */
    public void setShowing(boolean showing) {
        sampler.wantTorrents(showing);
        if (showing) {
            sampler.poke();
        }
    }

    @Override
    public void apply(Snapshot s) {
        List<Snapshot.TorrentInfo> list = s.torrents();
        if (list == null) {
            if (s.node() == null && !rows.isEmpty()) {
                rows.clear();
                byHash.clear();
            }
            summary.set(Format.count(s.torrentCount()) + " torrents");
            return;
        }
        Set<String> seen = new HashSet<>();
        List<TorrentRow> added = new ArrayList<>();
        for (Snapshot.TorrentInfo t : list) {
            seen.add(t.infoHash());
            TorrentRow row = byHash.get(t.infoHash());
            if (row == null) {
                row = new TorrentRow(t.infoHash());
                byHash.put(t.infoHash(), row);
                added.add(row);
            }
            row.seeders.set(t.seeders());
            row.leechers.set(t.leechers());
            row.completed.set(t.completed());
        }
        if (byHash.size() > seen.size()) {
            byHash.keySet().retainAll(seen);
            rows.removeIf(r -> !seen.contains(r.infoHash));
        }
        rows.addAll(added);
        summary.set(Format.count(s.torrentCount()) + " torrents"
                + (s.torrentCount() > list.size() ? " (showing " + list.size() + ")" : ""));
    }

    public ObservableList<TorrentRow> rows() { return rows; }
    public FilteredList<TorrentRow> filtered() { return filtered; }
    public StringProperty filter() { return filter; }
    public StringProperty summary() { return summary; }
}

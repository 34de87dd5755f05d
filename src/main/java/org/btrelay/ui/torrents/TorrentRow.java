package org.btrelay.ui.torrents;

import javafx.beans.property.IntegerProperty;
import javafx.beans.property.SimpleIntegerProperty;

/** One torrent the tracker knows: its info_hash and scrape figures. */
public final class TorrentRow {
    final String infoHash;
    final IntegerProperty seeders = new SimpleIntegerProperty();
    final IntegerProperty leechers = new SimpleIntegerProperty();
    final IntegerProperty completed = new SimpleIntegerProperty();

    TorrentRow(String infoHash) {
        this.infoHash = infoHash;
    }

    public String infoHash() { return infoHash; }
    public IntegerProperty seedersProperty() { return seeders; }
    public IntegerProperty leechersProperty() { return leechers; }
    public IntegerProperty completedProperty() { return completed; }
}

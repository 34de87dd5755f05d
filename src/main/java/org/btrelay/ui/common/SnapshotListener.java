package org.btrelay.ui.common;

import org.btrelay.ui.service.Snapshot;

/** A view model that takes the relay's state from a snapshot, on the UI thread. */
public interface SnapshotListener {
    void apply(Snapshot snapshot);
}

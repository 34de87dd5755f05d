package org.btrelay.ui;

import java.nio.file.Path;
import java.time.Duration;
import org.btrelay.app.RelaySettings;
import org.btrelay.mesh.MeshTiming;

/**
 * How the dashboard runs its relay and itself.
 *
 * @param settings    the relay's settings (from settings.json and the command line)
 * @param dataDir     the data folder: settings, identity, known relays, {@code dashboard.json}
 * @param timing      the mesh's timings (tests and labs use faster ones)
 * @param sampleEvery how often the relay's state is read for the views
 * @param chartEvery  how often the live charts get a point
 * @param exitOnClose end the JavaFX application when the window is closed (off in tests)
 */
public record DashboardConfig(RelaySettings settings, Path dataDir, MeshTiming timing, Duration sampleEvery,
                              Duration chartEvery, boolean exitOnClose) {

    public static DashboardConfig of(RelaySettings settings, Path dataDir) {
        // Each visible change costs a repaint: tiles and tables at 1 Hz, charts every 4 s
        // (150 points in ten minutes), keep an idle window near 1-2 % of a core.
        return new DashboardConfig(settings, dataDir, MeshTiming.DEFAULTS, Duration.ofSeconds(1), Duration.ofSeconds(4),
                true);
    }
}

package org.btrelay.ui;

import java.io.PrintWriter;
import java.nio.file.Path;
import javafx.application.Application;
import org.btrelay.app.RelaySettings;

/**
 * Starts the dashboard from the command line. A plain class (not an {@link Application}) so the
 * JavaFX runtime is found on the class path; nothing else in the program touches JavaFX, so the
 * headless relay never loads it.
 */
public final class Dashboard {
    private Dashboard() {}

    /**
     * Opens the window, starts the embedded relay and returns when the window is closed and the
     * relay stopped (or the user quit from the tray).
     *
     * @return the process exit code
     */
    public static int run(RelaySettings settings, Path dataDir, PrintWriter err) {
        DashboardApp.prepare(DashboardConfig.of(settings, dataDir));
        try {
            Application.launch(DashboardApp.class);
            return 0;
        } catch (RuntimeException | LinkageError e) {
            Throwable t = e.getCause() != null && e instanceof RuntimeException && e.getMessage() == null ? e.getCause() : e;
            err.println("bittorrent-relay: cannot open the dashboard: " + t.getMessage()
                    + " (run with --headless on a machine without a display)");
            return 2;
        }
    }
}

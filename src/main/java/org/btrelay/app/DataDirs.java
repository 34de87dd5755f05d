package org.btrelay.app;

import java.nio.file.Path;
import java.util.Locale;

/** The per-user folder for settings and state, following each OS's convention. */
public final class DataDirs {
    private DataDirs() {}

    public static Path defaultDir() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String home = System.getProperty("user.home");
        if (os.contains("win")) {
            String appData = System.getenv("APPDATA");
            return Path.of(appData != null ? appData : home, "BitTorrent Relay");
        }
        if (os.contains("mac")) {
            return Path.of(home, "Library", "Application Support", "BitTorrent Relay");
        }
        String xdg = System.getenv("XDG_CONFIG_HOME");
        return (xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(home, ".config")).resolve("bittorrent-relay");
    }
}

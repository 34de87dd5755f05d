package org.btrelay.app;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.btrelay.tracker.Limits;
import org.btrelay.tracker.TrackerConfig;

/**
 * Everything a relay is started with. Read from {@code settings.json} in the data folder, with
 * command-line options on top (see {@link SettingsStore}).
 *
 * @param host        address to bind; empty means every address (IPv6 and IPv4 where possible)
 * @param port        HTTP and WebSocket port; 0 picks a free one
 * @param publicUrl   how browsers and other relays reach this relay (e.g. {@code https://relay.example.org}),
 *                    or empty when it is only reachable at its local address
 * @param interval    announce interval asked of clients, in seconds
 */
public record RelaySettings(String name, String host, int port, String publicUrl, int interval, Limits limits) {
    public static final int DEFAULT_PORT = 10509;

    public static RelaySettings defaults() {
        return new RelaySettings(defaultName(), "", DEFAULT_PORT, "", TrackerConfig.DEFAULT_INTERVAL_SECONDS,
                Limits.DEFAULTS);
    }

    public TrackerConfig trackerConfig() {
        return new TrackerConfig(interval, limits);
    }

    /** Human-readable problems; empty when the settings can be used. */
    public List<String> problems() {
        List<String> out = new ArrayList<>();
        if (name == null || name.isBlank() || name.length() > 64) {
            out.add("name must be 1 to 64 characters");
        }
        if (port < 0 || port > 65535) {
            out.add("port must be between 0 and 65535 (is " + port + ")");
        }
        if (interval < 10 || interval > 3600) {
            out.add("interval must be between 10 and 3600 seconds (is " + interval + ")");
        }
        if (publicUrl != null && !publicUrl.isEmpty()) {
            try {
                URI u = new URI(publicUrl);
                String scheme = u.getScheme();
                if (u.getHost() == null || scheme == null
                        || !List.of("http", "https", "ws", "wss").contains(scheme.toLowerCase())) {
                    out.add("public URL must look like https://relay.example.org (is " + publicUrl + ")");
                }
            } catch (java.net.URISyntaxException e) {
                out.add("public URL is not a valid URL: " + publicUrl);
            }
        }
        if (limits == null) {
            out.add("limits are missing");
        } else {
            out.addAll(limits.problems());
        }
        return out;
    }

    private static String defaultName() {
        for (String var : new String[] {"HOSTNAME", "COMPUTERNAME"}) {
            String v = System.getenv(var);
            if (v != null && !v.isBlank() && v.length() <= 64) {
                return v;
            }
        }
        return "relay";
    }
}

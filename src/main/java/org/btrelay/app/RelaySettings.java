package org.btrelay.app;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.btrelay.health.CapacityThresholds;
import org.btrelay.mesh.RelayRecord;
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
 * @param swarms      swarm keys this relay joins (announced and looked up on the DHT)
 * @param dht         whether to run the DHT at all
 * @param dhtPort     UDP port of the DHT; -1 means the same number as the HTTP port
 * @param bootstrap   extra DHT nodes to start from, as host:port
 * @param peers       relays to link to directly, without the DHT (URLs)
 * @param capacity    when this relay calls itself busy or full
 */
public record RelaySettings(String name, String host, int port, String publicUrl, int interval, Limits limits,
                            List<String> swarms, boolean dht, int dhtPort, List<String> bootstrap, List<String> peers,
                            CapacityThresholds capacity) {
    public static final int DEFAULT_PORT = 10509;
    public static final String DEFAULT_SWARM = "bittorrent-relay";

    public static RelaySettings defaults() {
        return new RelaySettings(defaultName(), "", DEFAULT_PORT, "", TrackerConfig.DEFAULT_INTERVAL_SECONDS,
                Limits.DEFAULTS, List.of(DEFAULT_SWARM), true, -1, List.of(), List.of(), CapacityThresholds.DEFAULTS);
    }

    public RelaySettings withNetwork(String host, int port, boolean dht, int dhtPort) {
        return toBuilder().host(host).port(port).dht(dht).dhtPort(dhtPort).build();
    }

    public RelaySettings withName(String newName) {
        return toBuilder().name(newName).build();
    }

    public RelaySettings withLimits(Limits newLimits) {
        return toBuilder().limits(newLimits).build();
    }

    public RelaySettings withCapacity(CapacityThresholds newCapacity) {
        return toBuilder().capacity(newCapacity).build();
    }

    public RelaySettings withMesh(List<String> newSwarms, List<String> newBootstrap, List<String> newPeers) {
        return toBuilder().swarms(List.copyOf(newSwarms)).bootstrap(List.copyOf(newBootstrap))
                .peers(List.copyOf(newPeers)).build();
    }

    /** A copy to change: every setting not set on the builder keeps its value here. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /**
     * Changes some settings and keeps the rest. A new setting is one record component, one field
     * here (copied in the constructor) and one setter.
     */
    public static final class Builder {
        private String name;
        private String host;
        private int port;
        private String publicUrl;
        private int interval;
        private Limits limits;
        private List<String> swarms;
        private boolean dht;
        private int dhtPort;
        private List<String> bootstrap;
        private List<String> peers;
        private CapacityThresholds capacity;

        private Builder(RelaySettings s) {
            name = s.name;
            host = s.host;
            port = s.port;
            publicUrl = s.publicUrl;
            interval = s.interval;
            limits = s.limits;
            swarms = s.swarms;
            dht = s.dht;
            dhtPort = s.dhtPort;
            bootstrap = s.bootstrap;
            peers = s.peers;
            capacity = s.capacity;
        }

        public Builder name(String v) { name = v; return this; }
        public Builder host(String v) { host = v; return this; }
        public Builder port(int v) { port = v; return this; }
        public Builder publicUrl(String v) { publicUrl = v; return this; }
        public Builder interval(int v) { interval = v; return this; }
        public Builder limits(Limits v) { limits = v; return this; }
        public Builder swarms(List<String> v) { swarms = v; return this; }
        public Builder dht(boolean v) { dht = v; return this; }
        public Builder dhtPort(int v) { dhtPort = v; return this; }
        public Builder bootstrap(List<String> v) { bootstrap = v; return this; }
        public Builder peers(List<String> v) { peers = v; return this; }
        public Builder capacity(CapacityThresholds v) { capacity = v; return this; }

        public RelaySettings build() {
            return new RelaySettings(name, host, port, publicUrl, interval, limits, swarms, dht, dhtPort, bootstrap,
                    peers, capacity);
        }
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
        if (publicUrl != null && !publicUrl.isEmpty() && !validUrl(publicUrl)) {
            out.add("public URL must look like https://relay.example.org (is " + publicUrl + ")");
        }
        if (dhtPort < -1 || dhtPort > 65535) {
            out.add("dhtPort must be -1 (same as port) or 0 to 65535 (is " + dhtPort + ")");
        }
        if (swarms == null || swarms.size() > RelayRecord.MAX_SWARMS
                || !swarms.stream().allMatch(RelayRecord::validSwarmKey)) {
            out.add("swarms must be at most " + RelayRecord.MAX_SWARMS + " keys of 1 to "
                    + RelayRecord.MAX_SWARM_KEY + " characters");
        }
        for (String b : bootstrap == null ? List.<String>of() : bootstrap) {
            if (hostPort(b) == null) {
                out.add("bootstrap node must be HOST:PORT (is " + b + ")");
            }
        }
        for (String p : peers == null ? List.<String>of() : peers) {
            if (!validUrl(p)) {
                out.add("peer must be a relay URL like http://host:10509 (is " + p + ")");
            }
        }
        if (capacity == null) {
            out.add("capacity thresholds are missing");
        } else {
            out.addAll(capacity.problems());
        }
        if (limits == null) {
            out.add("limits are missing");
        } else {
            out.addAll(limits.problems());
        }
        return out;
    }

    static boolean validUrl(String url) {
        try {
            URI u = new URI(url);
            String scheme = u.getScheme();
            return u.getHost() != null && scheme != null
                    && List.of("http", "https", "ws", "wss").contains(scheme.toLowerCase(java.util.Locale.ROOT));
        } catch (java.net.URISyntaxException e) {
            return false;
        }
    }

    /** Parses HOST:PORT (IPv6 in brackets); {@code null} when malformed. No name lookup happens. */
    public static java.net.InetSocketAddress hostPort(String s) {
        if (s == null) {
            return null;
        }
        int colon = s.lastIndexOf(':');
        if (colon <= 0 || colon == s.length() - 1) {
            return null;
        }
        String host = s.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        try {
            int port = Integer.parseInt(s.substring(colon + 1));
            if (port < 1 || port > 65535 || host.isEmpty()) {
                return null;
            }
            return java.net.InetSocketAddress.createUnresolved(host, port);
        } catch (NumberFormatException e) {
            return null;
        }
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

package org.btrelay.app;

import java.net.BindException;
import java.net.InetSocketAddress;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.btrelay.tracker.Tracker;
import org.btrelay.tracker.TrackerStats;
import org.btrelay.tracker.http.HttpTracker;
import org.btrelay.tracker.ws.WsTracker;
import org.btrelay.web.RelayServer;
import org.btrelay.web.StatsPages;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One relay: the tracker core, its frontends, the web server and the periodic housekeeping,
 * started and stopped together. Needs no UI; the CLI, the dashboard and tests all start it the
 * same way.
 */
public final class RelayNode implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RelayNode.class);
    static final long SWEEP_SECONDS = 15;

    private final RelaySettings settings;
    private final Tracker tracker;
    private final WsTracker ws;
    private final RelayServer server;
    private final ScheduledExecutorService housekeeping;
    private volatile boolean started;
    private volatile boolean closed;

    public RelayNode(RelaySettings settings) {
        this.settings = settings;
        this.tracker = new Tracker(settings.trackerConfig());
        this.ws = new WsTracker(tracker);
        StatsPages stats = new StatsPages(
                new StatsPages.NodeInfo(settings.name(), Version.get(), System.currentTimeMillis()),
                tracker.stats()::snapshot);
        this.server = new RelayServer(bindHost(settings.host()), settings.port(), ws, new HttpTracker(tracker), stats);
        this.housekeeping = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "relay-housekeeping");
            t.setDaemon(true);
            return t;
        });
    }

    /** Binds the server and starts housekeeping. */
    public RelayNode start() throws BindException {
        server.start();
        started = true;
        TrackerStats stats = tracker.stats();
        housekeeping.scheduleAtFixedRate(() -> guarded(() -> stats.tick(System.nanoTime())), 1, 1, TimeUnit.SECONDS);
        housekeeping.scheduleAtFixedRate(() -> guarded(() -> {
            tracker.sweep();
            ws.closeIdle();
        }), SWEEP_SECONDS, SWEEP_SECONDS, TimeUnit.SECONDS);
        log.info("relay '{}' listening on {}", settings.name(), server.address());
        return this;
    }

    private static void guarded(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException e) {
            // A failed round must not cancel the schedule.
            log.error("housekeeping failed", e);
        }
    }

    public Tracker tracker() {
        return tracker;
    }

    public RelaySettings settings() {
        return settings;
    }

    public int port() {
        return server.address().getPort();
    }

    /** The address clients on this machine can use: the bound one, or loopback for a wildcard bind. */
    public String localHost() {
        InetSocketAddress a = server.address();
        if (a.getAddress().isAnyLocalAddress()) {
            return "127.0.0.1";
        }
        String h = a.getAddress().getHostAddress();
        return h.contains(":") ? "[" + h + "]" : h;
    }

    public String wsUrl() {
        return "ws://" + localHost() + ":" + port() + "/";
    }

    public String httpUrl() {
        return "http://" + localHost() + ":" + port() + "/";
    }

    /**
     * Says goodbye to every WebSocket client (close code 1001), waits briefly for the close frames
     * to go out, then stops the server. Safe to call more than once.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        housekeeping.shutdownNow();
        if (started) {
            ws.closeAll();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
            while (ws.connectionCount() > 0 && System.nanoTime() < deadline) {
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            server.stop();
            log.info("relay '{}' stopped", settings.name());
        }
    }

    /** An empty host means every address: dual-stack where the OS allows it. */
    static String bindHost(String host) {
        if (host != null && !host.isBlank()) {
            return host;
        }
        return ipv6Available() ? "::" : "0.0.0.0";
    }

    private static boolean ipv6Available() {
        if (Boolean.getBoolean("java.net.preferIPv4Stack")) {
            return false;
        }
        try (java.net.ServerSocket s = new java.net.ServerSocket()) {
            s.bind(new InetSocketAddress(java.net.InetAddress.getByName("::"), 0));
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }
}

package org.btrelay.ui.service;

import java.io.IOException;
import java.net.BindException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.btrelay.app.RelayNode;
import org.btrelay.app.RelaySettings;
import org.btrelay.app.SettingsStore;
import org.btrelay.concurrent.DaemonThreads;
import org.btrelay.mesh.MeshTiming;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the embedded relay for the dashboard: starts, stops and restarts it, joins and leaves
 * swarms and saves the settings, all on one background thread so the UI thread never waits for
 * sockets or files. The UI reads {@link #status()}, a volatile snapshot.
 */
public final class NodeService implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(NodeService.class);

    /** Where the relay is in its life. */
    public enum Phase { STARTING, RUNNING, STOPPING, STOPPED, FAILED }

    /**
     * @param settings the settings in force (as saved); swarms joined live are included
     * @param node     the running relay, or {@code null}
     * @param message  why it failed, or {@code null}
     */
    public record Status(Phase phase, RelaySettings settings, RelayNode node, String message, long startedAtMillis) {}

    private final Path dataDir;
    private final MeshTiming timing;
    private final SettingsStore store;
    private final ExecutorService control = DaemonThreads.single("relay-control");
    private volatile Status status;

    public NodeService(RelaySettings settings, Path dataDir, MeshTiming timing) {
        this.dataDir = dataDir;
        this.timing = timing;
        this.store = new SettingsStore(dataDir);
        this.status = new Status(Phase.STOPPED, settings, null, null, 0);
    }

    public Status status() {
        return status;
    }

    public Path dataDir() {
        return dataDir;
    }

    /** Starts the relay with the current settings (no-op while one runs). */
    public CompletableFuture<Void> start() {
        return submit(this::startNow);
    }

    /** Stops the relay; its ports are free when the future completes. */
    public CompletableFuture<Void> stop() {
        return submit(this::stopNow);
    }

    /** Stops the relay and starts it again with the current (saved) settings. */
    public CompletableFuture<Void> restart() {
        return submit(() -> {
            stopNow();
            startNow();
        });
    }

    /** Joins a swarm now and remembers it in the settings file. */
    public CompletableFuture<Void> joinSwarm(String key) {
        String k = key == null ? "" : key.trim();
        return submit(() -> {
            RelaySettings s = status.settings();
            if (s.swarms().contains(k)) {
                return;
            }
            List<String> swarms = new ArrayList<>(s.swarms());
            swarms.add(k);
            RelaySettings next = s.withMesh(swarms, s.bootstrap(), s.peers());
            List<String> problems = next.problems();
            if (!problems.isEmpty()) {
                throw new IllegalArgumentException(problems.get(0));
            }
            saveNow(next);
            RelayNode n = status.node();
            if (n != null) {
                n.joinSwarm(k);
            }
            log.info("joined swarm '{}'", k);
        });
    }

    /** Leaves a swarm now and remembers it in the settings file. */
    public CompletableFuture<Void> leaveSwarm(String key) {
        return submit(() -> {
            RelaySettings s = status.settings();
            if (!s.swarms().contains(key)) {
                return;
            }
            List<String> swarms = new ArrayList<>(s.swarms());
            swarms.remove(key);
            saveNow(s.withMesh(swarms, s.bootstrap(), s.peers()));
            RelayNode n = status.node();
            if (n != null) {
                n.leaveSwarm(key);
            }
            log.info("left swarm '{}'", key);
        });
    }

    /**
     * Saves new settings. Swarms take effect at once; everything else when the relay restarts.
     * The settings must be valid ({@link RelaySettings#problems()} empty).
     */
    public CompletableFuture<Void> save(RelaySettings next) {
        if (!next.problems().isEmpty()) {
            return CompletableFuture.failedFuture(new IllegalArgumentException(String.join("; ", next.problems())));
        }
        return submit(() -> {
            RelaySettings before = status.settings();
            saveNow(next);
            RelayNode n = status.node();
            if (n != null) {
                for (String k : next.swarms()) {
                    if (!before.swarms().contains(k)) {
                        n.joinSwarm(k);
                    }
                }
                for (String k : before.swarms()) {
                    if (!next.swarms().contains(k)) {
                        n.leaveSwarm(k);
                    }
                }
            }
            log.info("settings saved to {}", store.file());
        });
    }

    /**
     * Names of the settings that differ between what the relay runs with and {@code next} and
     * only take effect after a restart (swarms apply live).
     */
    public static List<String> needRestart(RelaySettings running, RelaySettings next) {
        List<String> out = new ArrayList<>();
        if (running == null) {
            return out;
        }
        diff(out, "name", running.name(), next.name());
        diff(out, "host", running.host(), next.host());
        diff(out, "port", running.port(), next.port());
        diff(out, "public URL", running.publicUrl(), next.publicUrl());
        diff(out, "announce interval", running.interval(), next.interval());
        diff(out, "limits", running.limits(), next.limits());
        diff(out, "DHT", running.dht(), next.dht());
        diff(out, "DHT port", running.dhtPort(), next.dhtPort());
        diff(out, "bootstrap nodes", running.bootstrap(), next.bootstrap());
        diff(out, "peers", running.peers(), next.peers());
        diff(out, "capacity", running.capacity(), next.capacity());
        return out;
    }

    private static void diff(List<String> out, String name, Object a, Object b) {
        if (!java.util.Objects.equals(a, b)) {
            out.add(name);
        }
    }

    private void saveNow(RelaySettings next) throws IOException {
        store.save(next);
        Status s = status;
        status = new Status(s.phase(), next, s.node(), s.message(), s.startedAtMillis());
    }

    private void startNow() {
        Status s = status;
        if (s.node() != null) {
            return;
        }
        RelaySettings settings = s.settings();
        status = new Status(Phase.STARTING, settings, null, null, 0);
        RelayNode node = null;
        try {
            node = new RelayNode(settings, dataDir, timing);
            node.start();
            status = new Status(Phase.RUNNING, settings, node, null, System.currentTimeMillis());
        } catch (BindException e) {
            if (node != null) {
                node.close();
            }
            String where = (settings.host().isEmpty() ? "*" : settings.host()) + ":" + settings.port();
            boolean dht = e.getCause() instanceof IOException;
            String why = dht ? "cannot start the DHT: " + e.getMessage() + " (choose another DHT port, or turn the DHT off)"
                    : "cannot listen on " + where + ": " + e.getMessage() + " (is another relay running? choose another port)";
            log.error("relay did not start: {}", why);
            status = new Status(Phase.FAILED, settings, null, why, 0);
        } catch (RuntimeException e) {
            if (node != null) {
                node.close();
            }
            log.error("relay did not start", e);
            status = new Status(Phase.FAILED, settings, null, String.valueOf(e.getMessage()), 0);
        }
    }

    private void stopNow() {
        Status s = status;
        if (s.node() == null) {
            return;
        }
        status = new Status(Phase.STOPPING, s.settings(), s.node(), null, s.startedAtMillis());
        try {
            s.node().close();
        } finally {
            status = new Status(Phase.STOPPED, status.settings(), null, null, 0);
        }
    }

    private interface Task {
        void run() throws Exception;
    }

    private CompletableFuture<Void> submit(Task task) {
        CompletableFuture<Void> f = new CompletableFuture<>();
        try {
            control.execute(() -> {
                try {
                    task.run();
                    f.complete(null);
                } catch (Exception e) {
                    f.completeExceptionally(e);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            f.completeExceptionally(e);
        }
        return f;
    }

    /** Stops the relay and the control thread; waits up to ten seconds. */
    @Override
    public void close() {
        if (control.isShutdown()) {
            return;
        }
        try {
            stop().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            log.warn("relay did not stop cleanly: {}", e.toString());
        }
        control.shutdown();
    }
}

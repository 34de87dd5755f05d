package org.btrelay.dht;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import lbms.plugins.mldht.kad.DHT;
import lbms.plugins.mldht.kad.Database;
import lbms.plugins.mldht.kad.Key;
import lbms.plugins.mldht.kad.PeerAddressDBItem;
import lbms.plugins.mldht.kad.RPCServer;
import lbms.plugins.mldht.kad.tasks.AnnounceTask;
import lbms.plugins.mldht.kad.tasks.PeerLookupTask;
import lbms.plugins.mldht.kad.tasks.Task;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One joined swarm's DHT schedule: announce this relay's port on the swarm's target (again every
 * {@link DhtTiming#announceInterval()}, retried with backoff while no node stores it), and look the
 * target up (often at first, then less often), reporting each address found once per round.
 * Its schedule fields are touched only on the node's scheduler thread.
 */
final class SwarmSchedule {
    private static final Logger log = LoggerFactory.getLogger(SwarmSchedule.class);
    private static final int MAX_REMEMBERED_REPORTS = 10_000;
    private static final long STUCK_TASK_NANOS = TimeUnit.MINUTES.toNanos(2);

    private final DhtNode node;
    private final DhtTiming timing;
    final String key;
    final int port;
    final Key target;
    volatile boolean active = true;
    /** Tasks under way, with when they were queued. */
    private final Map<Task, Long> tasks = new ConcurrentHashMap<>();
    private final Map<InetSocketAddress, Long> reported = new ConcurrentHashMap<>();
    private final long reportQuietNanos;
    private boolean begun;
    private long begunNanos;
    private ScheduledFuture<?> nextAnnounce;
    private ScheduledFuture<?> nextLookup;
    private PeerLookupTask lookup;
    private boolean announcing;
    private long retryMillis;
    private boolean announcedOnce;

    SwarmSchedule(DhtNode node, DhtTiming timing, String key, int port) {
        this.node = node;
        this.timing = timing;
        this.key = key;
        this.port = port;
        this.target = new Key(DhtNode.swarmTarget(key));
        this.reportQuietNanos = Math.max(TimeUnit.MILLISECONDS.toNanos(100), timing.fastLookupInterval().toNanos() / 2);
        this.retryMillis = timing.retryMin().toMillis();
    }

    void begin() {
        if (begun || !active || node.mldht() == null) {
            return;
        }
        begun = true;
        begunNanos = System.nanoTime();
        announce();
        lookup();
    }

    void stop() {
        cancel(nextAnnounce);
        cancel(nextLookup);
        for (Task t : List.copyOf(tasks.keySet())) {
            t.kill();
        }
        tasks.clear();
    }

    void announce() {
        DHT d = node.mldht();
        if (!active || d == null || !d.isRunning() || announcing) {
            return;
        }
        RPCServer srv = d.getServerManager().getRandomActiveServer(true);
        if (srv == null || d.getNode().getNumEntriesInRoutingTable() == 0) {
            // Not bootstrapped yet: try again soon, without backing off.
            nextAnnounce = node.later(this::announce, timing.retryMin().toMillis());
            return;
        }
        announcing = true;
        PeerLookupTask task = newLookup(d, srv, "announce");
        task.addListener(t -> node.submit(() -> announceTo(d, task)));
        enqueue(d, task);
    }

    /** Second half of an announce: the lookup found the closest nodes and their tokens. */
    private void announceTo(DHT d, PeerLookupTask lookupTask) {
        tasks.remove(lookupTask);
        if (!active || !d.isRunning()) {
            announcing = false;
            return;
        }
        AnnounceTask task = lookupTask.getAnnounceCanidates().isEmpty() ? null : d.announce(lookupTask, false, port);
        if (task == null) {
            announced(0);
            return;
        }
        tasks.put(task, System.nanoTime());
        task.setInfo("relay announce of swarm " + key);
        task.addListener(t -> node.submit(() -> {
            tasks.remove(task);
            announced(task.getRecvResponses());
        }));
        d.getTaskManager().dequeue();
    }

    private void announced(int stored) {
        announcing = false;
        if (!active) {
            return;
        }
        if (stored > 0) {
            if (!announcedOnce) {
                log.info("DHT announced swarm '{}' (port {}) on {} node(s)", key, port, stored);
                announcedOnce = true;
            } else {
                log.debug("DHT re-announced swarm '{}' (port {}) on {} node(s)", key, port, stored);
            }
            retryMillis = timing.retryMin().toMillis();
            nextAnnounce = node.later(this::announce, timing.announceInterval().toMillis());
        } else {
            log.debug("DHT announce of swarm '{}' reached no node; retry in {} ms", key, retryMillis);
            nextAnnounce = node.later(this::announce, retryMillis);
            retryMillis = Math.min(retryMillis * 2, timing.retryMax().toMillis());
        }
    }

    void lookup() {
        DHT d = node.mldht();
        if (!active || d == null || !d.isRunning()) {
            return;
        }
        long sinceBegun = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begunNanos);
        long next = sinceBegun < timing.fastLookupPeriod().toMillis()
                ? timing.fastLookupInterval().toMillis() : timing.lookupInterval().toMillis();
        nextLookup = node.later(this::lookup, next);
        killStuckTasks();
        if (lookup != null && !lookup.isFinished()) {
            return; // the last one is still asking
        }
        RPCServer srv = d.getServerManager().getRandomActiveServer(true);
        if (srv == null || d.getNode().getNumEntriesInRoutingTable() == 0) {
            return;
        }
        PeerLookupTask task = newLookup(d, srv, "lookup");
        task.setNoAnnounce(true);
        task.addListener(t -> tasks.remove(t));
        lookup = task;
        enqueue(d, task);
    }

    /**
     * mldht ends a task once its requests have answered or timed out (10 s at most), so this
     * should never fire; if it does, killing the task runs its listener and the schedule goes on.
     */
    private void killStuckTasks() {
        long now = System.nanoTime();
        tasks.forEach((task, queued) -> {
            if (task.isFinished()) {
                // Finished without its listener removing it (mldht may finish a task before
                // the listener runs): nothing is stuck, just forget it.
                tasks.remove(task);
            } else if (now - queued > STUCK_TASK_NANOS) {
                log.warn("DHT task for swarm '{}' stuck for {} s: {}", key, TimeUnit.NANOSECONDS.toSeconds(now - queued), task);
                task.kill();
                tasks.remove(task);
            }
        });
    }

    private PeerLookupTask newLookup(DHT d, RPCServer srv, String what) {
        PeerLookupTask task = new PeerLookupTask(srv, d.getNode(), target);
        task.setInfo("relay " + what + " of swarm " + key);
        task.setResultHandler((from, item) -> node.found(this, item));
        // A lookup asks only other nodes, never our own store: relays that announced to us
        // would be missed (in a DHT of two, everything would).
        forgetOldReports();
        storedHere(d).forEach(item -> node.found(this, item));
        return task;
    }

    /**
     * Every node that stores a peer returns it, and the announce's lookup and a plain lookup
     * may overlap: an address is reported once per half fast-lookup interval, so about once
     * per lookup round. Returns whether to report it now.
     */
    boolean freshReport(InetSocketAddress address) {
        long now = System.nanoTime();
        boolean[] fresh = new boolean[1];
        reported.compute(address, (a, last) -> {
            fresh[0] = last == null || now - last >= reportQuietNanos;
            return fresh[0] ? now : last;
        });
        return fresh[0];
    }

    private void forgetOldReports() {
        long now = System.nanoTime();
        reported.values().removeIf(last -> now - last >= reportQuietNanos);
        if (reported.size() > MAX_REMEMBERED_REPORTS) {
            reported.clear();
        }
    }

    private List<PeerAddressDBItem> storedHere(DHT d) {
        Database.PeersSeeds stored = d.getDatabase().getData().get(target);
        if (stored == null) {
            return List.of();
        }
        long now = System.currentTimeMillis();
        return Stream.concat(stored.peers().stream(), stored.seeds().stream())
                .filter(item -> !item.expired(now))
                .toList();
    }

    private void enqueue(DHT d, Task task) {
        tasks.put(task, System.nanoTime());
        // addTask only queues; dequeue starts it now instead of at mldht's next 1 s tick.
        d.getTaskManager().addTask(task);
        d.getTaskManager().dequeue();
    }

    private static void cancel(ScheduledFuture<?> f) {
        if (f != null) {
            f.cancel(false);
        }
    }
}

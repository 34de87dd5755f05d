package org.btrelay.tracker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.btrelay.tracker.TrackerHarness.TORRENT;
import static org.btrelay.tracker.TrackerHarness.peer;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.btrelay.tracker.TrackerHarness.Client;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The races the Tracker class comment names, made to happen every time: the test holds a swarm's
 * monitor so that other threads stop exactly inside the window, then lets them go.
 */
@Timeout(30)
class TrackerRaceTest {
    private final TrackerHarness h = new TrackerHarness();

    /** Leaves an empty, not yet pruned swarm for {@link TrackerHarness#TORRENT}. */
    private Swarm emptySwarm(Client c) {
        h.announce(c, peer(1), Event.STARTED, 10);
        h.announce(c, peer(1), Event.STOPPED, 10);
        Swarm swarm = h.swarm(TORRENT);
        assertThat(swarm).isNotNull();
        assertThat(swarm.size()).isZero();
        return swarm;
    }

    private static Thread start(Runnable r, AtomicReference<Throwable> failure) {
        Thread t = new Thread(() -> {
            try {
                r.run();
            } catch (Throwable e) {
                failure.compareAndSet(null, e);
            }
        });
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static void awaitBlocked(Thread t) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (t.getState() != Thread.State.BLOCKED) {
            assertThat(System.nanoTime()).as("thread reached the swarm lock").isLessThan(deadline);
            assertThat(t.getState()).isNotEqualTo(Thread.State.TERMINATED);
            Thread.sleep(1);
        }
    }

    @Test
    void anAnnounceThatRacesThePruningOfItsSwarmJoinsALiveSwarm() throws Exception {
        Client c = h.connect();
        Swarm doomed = emptySwarm(c);
        AtomicReference<AnnounceResult> result = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread announcer;

        synchronized (doomed) {
            announcer = start(() -> result.set(h.announce(c, peer(2), Event.STARTED, 0)), failure);
            awaitBlocked(announcer); // it holds the swarm it looked up and waits for its lock
            h.tracker.sweep();       // prunes that swarm (the monitor is re-entrant for this thread)
            assertThat(doomed.dead).isTrue();
        }
        announcer.join(10_000);

        assertThat(failure.get()).isNull();
        assertThat(result.get().ok()).isTrue();
        assertThat(result.get().complete()).isEqualTo(1);
        assertThat(h.swarm(TORRENT)).isNotSameAs(doomed);
        assertThat(doomed.size()).as("nothing joined the pruned swarm").isZero();
        assertThat(h.counts()).isEqualTo(new SwarmCounts(1, 0, 0));
        assertThat(h.stats().torrents()).isEqualTo(1);
        assertThat(h.stats().activeTorrents()).isEqualTo(1);
        assertThat(h.stats().peers()).isEqualTo(1);
    }

    @Test
    void aStoppedThatRacesThePruningOfItsSwarmCreatesNoSwarm() throws Exception {
        Client c = h.connect();
        Swarm doomed = emptySwarm(c);
        AtomicReference<AnnounceResult> result = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread announcer;

        synchronized (doomed) {
            announcer = start(() -> result.set(h.announce(c, peer(2), Event.STOPPED, 0)), failure);
            awaitBlocked(announcer);
            h.tracker.sweep();
        }
        announcer.join(10_000);

        assertThat(failure.get()).isNull();
        assertThat(result.get().ok()).isTrue();
        assertThat(h.tracker.torrents(Integer.MAX_VALUE)).isEmpty();
        assertThat(h.stats().torrents()).isZero();
    }

    @Test
    void twoSweepsRacingOverOneEmptySwarmPruneItOnce() throws Exception {
        Swarm doomed = emptySwarm(h.connect());
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> sweepers = new ArrayList<>();

        synchronized (doomed) {
            for (int i = 0; i < 2; i++) {
                Thread t = start(h.tracker::sweep, failure);
                sweepers.add(t);
                awaitBlocked(t);
            }
        }
        for (Thread t : sweepers) {
            t.join(10_000);
        }

        assertThat(failure.get()).isNull();
        assertThat(h.tracker.torrents(Integer.MAX_VALUE)).isEmpty();
        assertThat(h.stats().torrents()).as("torrents counted down once").isZero();
        assertThat(h.stats().activeTorrents()).isZero();
    }

    @Test
    void closingAConnectionWhileItsAnnounceWaitsLeavesNoPeerBehind() throws Exception {
        Client other = h.connect("127.0.0.2");
        h.announce(other, peer(9), Event.STARTED, 10);
        Swarm swarm = h.swarm(TORRENT);
        Client c = h.connect("127.0.0.1");
        AtomicReference<AnnounceResult> result = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread announcer;
        Thread closer;

        synchronized (swarm) {
            announcer = start(() -> result.set(h.announce(c, peer(1), Event.STARTED, 10)), failure);
            awaitBlocked(announcer);
            closer = start(() -> h.close(c), failure);
            closer.join(10_000); // the session is closed before the announce gets the lock
            assertThat(closer.isAlive()).isFalse();
        }
        announcer.join(10_000);

        assertThat(failure.get()).isNull();
        assertThat(result.get().failure()).isEqualTo("connection closed");
        assertThat(h.counts()).isEqualTo(new SwarmCounts(0, 1, 0));
        assertThat(h.stats().peers()).isEqualTo(1);
        assertThat(h.stats().connections()).isEqualTo(1);
    }
}

package org.btrelay.ui.main;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javafx.application.Platform;
import org.btrelay.concurrent.DaemonThreads;
import org.btrelay.ui.common.SnapshotListener;
import org.btrelay.ui.log.LogModel;
import org.btrelay.ui.service.Sampler;
import org.btrelay.ui.service.Snapshot;
import org.slf4j.LoggerFactory;

/**
 * The one place the UI is updated from: a few times a second it takes the sampler's newest
 * snapshot (if it is new) and the new log lines, and hands them to the view models, in one UI task.
 * A plain timer thread posts that task, at most one at a time; a JavaFX Timeline would keep the
 * toolkit's 60 Hz pulse running all the time, which costs CPU while nothing changes.
 */
public final class Refresher implements AutoCloseable {
    private final Sampler sampler;
    private final LogModel log;
    private final List<SnapshotListener> listeners;
    private final Duration every;
    private final AtomicBoolean pending = new AtomicBoolean();
    private final ScheduledExecutorService timer = DaemonThreads.singleScheduled("dashboard-refresh");
    private long appliedSeq = -1;

    public Refresher(Sampler sampler, LogModel log, List<SnapshotListener> listeners, Duration every) {
        this.sampler = sampler;
        this.log = log;
        this.listeners = List.copyOf(listeners);
        this.every = every;
    }

    public Refresher start() {
        timer.scheduleWithFixedDelay(() -> {
            if (pending.compareAndSet(false, true)) {
                Platform.runLater(this::refresh);
            }
        }, 0, every.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    /** Applies what is new; on the UI thread. */
    void refresh() {
        pending.set(false);
        log.refresh();
        Snapshot s = sampler.latest();
        if (s == null || s.seq() == appliedSeq) {
            return;
        }
        appliedSeq = s.seq();
        for (SnapshotListener l : listeners) {
            try {
                l.apply(s);
            } catch (RuntimeException e) {
                LoggerFactory.getLogger(Refresher.class).warn("{} failed to show a snapshot", l.getClass().getSimpleName(), e);
            }
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}

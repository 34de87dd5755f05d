package org.btrelay.concurrent;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;

/**
 * Background threads with a name (it shows in logs, thread dumps and profiles) that never keep
 * the JVM alive: the relay's owners stop them, and a forgotten one must not block exit.
 */
public final class DaemonThreads {
    private DaemonThreads() {}

    /** A factory of daemon threads, all called {@code name}. */
    public static ThreadFactory named(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    /** One daemon thread that runs tasks in order. */
    public static ExecutorService single(String name) {
        return Executors.newSingleThreadExecutor(named(name));
    }

    /** One daemon thread that runs tasks in order, now or later. */
    public static ScheduledExecutorService singleScheduled(String name) {
        return Executors.newSingleThreadScheduledExecutor(named(name));
    }
}

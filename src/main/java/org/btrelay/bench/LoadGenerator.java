package org.btrelay.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.HdrHistogram.Histogram;

/**
 * Runs one load test: builds the simulated browsers, splits them over one event-loop thread per
 * worker, connects them all, then starts every worker's clock at once (warm-up, then the
 * measured part) and merges what the workers counted.
 */
final class LoadGenerator {
    private final BenchConfig config;
    private final PrintWriter progress;

    /**
     * @param progress where to say what is happening (connecting, measuring); may be {@code null}
     */
    LoadGenerator(BenchConfig config, PrintWriter progress) {
        this.config = config;
        this.progress = progress;
    }

    /** What the workers share: when to start, and whether one of them failed. */
    static final class Clock {
        final long seed;
        private final CountDownLatch connected;
        private final CountDownLatch started = new CountDownLatch(1);
        private final AtomicInteger open = new AtomicInteger();
        private final AtomicReference<Throwable> failure = new AtomicReference<>();
        private volatile long startNanos;

        Clock(long seed, int workers) {
            this.seed = seed;
            this.connected = new CountDownLatch(workers);
        }

        void connected(int opened) {
            open.addAndGet(opened);
            connected.countDown();
        }

        void failed(Throwable t) {
            failure.compareAndSet(null, t);
            connected.countDown();
        }

        long awaitStart() throws InterruptedException {
            started.await();
            return startNanos;
        }

        void start(long nanos) {
            startNanos = nanos;
            started.countDown();
        }
    }

    BenchResult run() throws IOException, InterruptedException {
        long seed = System.nanoTime() ^ ProcessHandle.current().pid() << 32;
        SplittableRandom random = new SplittableRandom(seed);
        List<Peer> all = peers(random);
        int threads = Math.min(config.threads(), config.connections());
        List<List<Peer>> shares = new ArrayList<>();
        for (int w = 0; w < threads; w++) {
            shares.add(new ArrayList<>());
        }
        for (Peer p : all) {
            shares.get(p.index % threads).add(p);
        }
        Clock clock = new Clock(seed, threads);
        List<Worker> workers = new ArrayList<>();
        List<Thread> running = new ArrayList<>();
        for (int w = 0; w < threads; w++) {
            Worker worker = new Worker(w, config, shares.get(w), clock);
            workers.add(worker);
            Thread t = new Thread(worker, "bench-worker-" + w);
            t.setDaemon(true);
            running.add(t);
        }
        long connectStart = System.nanoTime();
        say("connecting %d WebSocket connections to %s ...", config.connections(), config.url());
        running.forEach(Thread::start);
        clock.connected.await(config.connectTimeout().toSeconds() + 10, TimeUnit.SECONDS);
        double connectSeconds = (System.nanoTime() - connectStart) / 1e9;
        say("%d of %d connections open after %.1f s; %s warm-up, then %s measured",
                clock.open.get(), config.connections(), connectSeconds,
                BenchCommand.format(config.warmup()), BenchCommand.format(config.duration()));
        long cpuBefore = processCpuNanos();
        long start = System.nanoTime();
        long measureStart = start + config.warmup().toNanos();
        clock.start(start);
        long cpuAtMeasure = cpuBefore;
        long sleep = TimeUnit.NANOSECONDS.toMillis(measureStart - System.nanoTime());
        if (sleep > 0) {
            Thread.sleep(sleep);
        }
        cpuAtMeasure = processCpuNanos();
        long joinBy = System.nanoTime() + config.duration().toNanos() + TimeUnit.SECONDS.toNanos(30);
        for (Thread t : running) {
            t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(joinBy - System.nanoTime())));
        }
        long cpuAfter = processCpuNanos();
        double measuredSeconds = config.duration().toNanos() / 1e9;

        Counts measured = new Counts();
        Counts warm = new Counts();
        Histogram latency = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
        Map<String, Long> reasons = new TreeMap<>();
        Map<String, Long> closeCodes = new TreeMap<>();
        long connectFailures = 0;
        long closedByServer = 0;
        long ioErrors = 0;
        long protocolErrors = 0;
        int opened = 0;
        for (Worker w : workers) {
            measured.add(w.measured);
            warm.add(w.warm);
            latency.add(w.latency);
            w.failureReasons.forEach((k, v) -> reasons.merge(k, v, Long::sum));
            w.closeCodes.forEach((k, v) -> closeCodes.merge(k, v, Long::sum));
            connectFailures += w.connectFailures;
            closedByServer += w.closedByServer;
            ioErrors += w.ioErrors;
            protocolErrors += w.protocolErrors;
            opened += w.opened;
        }
        Throwable failure = clock.failure.get();
        if (failure != null) {
            reasons.merge("generator failure: " + failure, 1L, Long::sum);
        }
        double cpuPercent = cpuAfter < 0 ? -1
                : 100.0 * (cpuAfter - cpuAtMeasure) / (measuredSeconds * 1e9);
        return new BenchResult(config, opened, connectSeconds, measuredSeconds, measured, warm, latency,
                connectFailures, closedByServer, ioErrors, protocolErrors, reasons, closeCodes, cpuPercent);
    }

    /** The simulated browsers: ids unique to this run, torrents assigned round robin. */
    private List<Peer> peers(SplittableRandom random) {
        String run = Traffic.id("", random.nextLong() & Long.MAX_VALUE).substring(16);
        List<Peer> out = new ArrayList<>(config.connections());
        String[] hashes = new String[config.torrents()];
        for (int t = 0; t < hashes.length; t++) {
            hashes[t] = Traffic.id("bench" + run, t);
        }
        for (int c = 0; c < config.connections(); c++) {
            String[] mine = new String[config.torrentsPerConnection()];
            for (int j = 0; j < mine.length; j++) {
                mine[j] = hashes[(c + j) % hashes.length];
            }
            boolean seeder = random.nextDouble() < config.seedShare();
            // "-WW0208-" is how webtorrent 2.x starts its peer_ids.
            out.add(new Peer(c, Traffic.id("-WW0208-" + run, c), mine, seeder, Traffic.id("", c).substring(12)));
        }
        return out;
    }

    private static long processCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return -1;
    }

    private void say(String format, Object... args) {
        if (progress != null) {
            progress.println(String.format(java.util.Locale.ROOT, format, args));
            progress.flush();
        }
    }
}

package org.btrelay.tracker;

import java.util.concurrent.atomic.LongAdder;

/**
 * Counts events and reports their rate over the last seconds. {@link #tick(long)} is called about
 * once a second by one thread; {@link #mark()} from any thread.
 */
public final class RateMeter {
    private static final int WINDOW = 10;

    private final LongAdder total = new LongAdder();
    private final long[] totals = new long[WINDOW + 1];
    private final long[] times = new long[WINDOW + 1];
    private int head;
    private int filled;
    private volatile double rate;

    public void mark() {
        total.increment();
    }

    public void mark(long n) {
        total.add(n);
    }

    public long total() {
        return total.sum();
    }

    /** Events per second over the last ten ticks. */
    public double perSecond() {
        return rate;
    }

    public synchronized void tick(long nowNanos) {
        head = (head + 1) % totals.length;
        totals[head] = total.sum();
        times[head] = nowNanos;
        if (filled < totals.length) {
            filled++;
        }
        if (filled < 2) {
            return;
        }
        int oldest = (head - (filled - 1) + totals.length) % totals.length;
        long dt = times[head] - times[oldest];
        rate = dt <= 0 ? 0 : (totals[head] - totals[oldest]) * 1e9 / dt;
    }
}

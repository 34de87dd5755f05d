package org.btrelay.mesh;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Polls a condition until it holds or the time is up; returns how long it took. */
final class Await {
    private Await() {}

    static Duration until(Duration limit, String what, BooleanSupplier condition) throws InterruptedException {
        long start = System.nanoTime();
        long deadline = start + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + limit.toMillis() + " ms: " + what);
            }
            Thread.sleep(25);
        }
        return Duration.ofNanos(System.nanoTime() - start);
    }
}

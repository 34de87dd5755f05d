package org.btrelay.tracker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class RateMeterTest {
    private static final long SECOND = 1_000_000_000L;

    @Test
    void reportsNoRateBeforeTwoTicks() {
        RateMeter m = new RateMeter();
        m.mark(100);
        m.tick(5 * SECOND);

        assertThat(m.perSecond()).isZero();
        assertThat(m.total()).isEqualTo(100);
    }

    @Test
    void reportsEventsPerSecondBetweenTicks() {
        RateMeter m = new RateMeter();
        m.tick(5 * SECOND);
        for (int i = 0; i < 50; i++) {
            m.mark();
        }
        m.tick(6 * SECOND);

        assertThat(m.perSecond()).isCloseTo(50.0, within(1e-9));

        m.mark(30);
        m.tick(7 * SECOND);

        assertThat(m.perSecond()).isCloseTo(40.0, within(1e-9));
        assertThat(m.total()).isEqualTo(80);
    }

    @Test
    void rateCoversOnlyTheLastTenTicks() {
        RateMeter m = new RateMeter();
        m.tick(0);
        m.mark(1_000);
        m.tick(SECOND);
        for (int s = 2; s <= 10; s++) {
            m.tick(s * SECOND);
        }
        assertThat(m.perSecond()).as("the burst is still inside the window").isCloseTo(100.0, within(1e-9));

        m.tick(11 * SECOND);

        assertThat(m.perSecond()).as("the burst has left the window").isZero();
        assertThat(m.total()).isEqualTo(1_000);
    }
}

package org.btrelay.mesh;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TokenBucketTest {
    static final long SECOND = 1_000_000_000L;

    @Test
    void aBurstIsAllowedThenTheRateHolds() {
        TokenBucket b = new TokenBucket(10, 40, 0);
        for (int i = 0; i < 40; i++) {
            assertThat(b.take(0)).as("token %d of the burst", i).isTrue();
        }
        assertThat(b.take(0)).as("burst spent").isFalse();
        assertThat(b.take(SECOND / 10)).as("one token after 100 ms").isTrue();
        assertThat(b.take(SECOND / 10)).isFalse();
    }

    @Test
    void savingUpStopsAtTheBurst() {
        TokenBucket b = new TokenBucket(10, 5, 0);
        int taken = 0;
        while (b.take(3600 * SECOND)) {
            taken++;
        }
        assertThat(taken).isEqualTo(5);
    }

    @Test
    void aClockThatGoesBackAddsNothing() {
        TokenBucket b = new TokenBucket(10, 1, SECOND);
        assertThat(b.take(SECOND)).isTrue();
        assertThat(b.take(0)).isFalse();
    }
}

package org.btrelay.tracker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.btrelay.tracker.TrackerHarness.offer;
import static org.btrelay.tracker.TrackerHarness.peer;

import org.junit.jupiter.api.Test;

class PendingOffersTest {
    private static final long NOW = 1_000;
    private static final long LATER = 5_000;

    @Test
    void anOfferIsTakenOnceAndOnlyByItsTarget() {
        PendingOffers p = new PendingOffers(50);
        p.add(offer(1), peer(2), LATER);

        assertThat(p.take(offer(1), peer(3), NOW)).as("another peer").isFalse();
        assertThat(p.take(offer(9), peer(2), NOW)).as("another offer id").isFalse();
        assertThat(p.size()).isEqualTo(1);
        assertThat(p.take(offer(1), peer(2), NOW)).isTrue();
        assertThat(p.take(offer(1), peer(2), NOW)).as("second answer").isFalse();
        assertThat(p.size()).isZero();
    }

    @Test
    void theSameOfferIdSentToTwoPeersIsTrackedPerPeer() {
        PendingOffers p = new PendingOffers(50);
        p.add(offer(1), peer(2), LATER);
        p.add(offer(1), peer(3), LATER);

        assertThat(p.take(offer(1), peer(3), NOW)).isTrue();
        assertThat(p.take(offer(1), peer(2), NOW)).isTrue();
    }

    @Test
    void anExpiredOfferCannotBeTakenAndIsDropped() {
        PendingOffers p = new PendingOffers(50);
        p.add(offer(1), peer(2), LATER);
        p.add(offer(2), peer(2), LATER);

        assertThat(p.take(offer(1), peer(2), LATER)).as("at its deadline").isFalse();
        assertThat(p.size()).isEqualTo(1);
        assertThat(p.take(offer(2), peer(2), LATER - 1)).as("just before").isTrue();
    }

    @Test
    void growsFromItsInitialSizeUpToTheBoundKeepingEveryOffer() {
        PendingOffers p = new PendingOffers(50);
        for (int i = 0; i < 50; i++) {
            p.add(offer(i), peer(i), LATER);
            assertThat(p.size()).isEqualTo(i + 1);
        }
        for (int i = 0; i < 50; i++) {
            assertThat(p.take(offer(i), peer(i), NOW)).as("offer %d", i).isTrue();
        }
        assertThat(p.size()).isZero();
    }

    @Test
    void pastTheBoundTheOldestOffersAreForgotten() {
        PendingOffers p = new PendingOffers(50);
        for (int i = 0; i < 60; i++) {
            p.add(offer(i), peer(i), LATER);
        }

        assertThat(p.size()).isEqualTo(50);
        for (int i = 0; i < 10; i++) {
            assertThat(p.take(offer(i), peer(i), NOW)).as("old offer %d", i).isFalse();
        }
        for (int i = 10; i < 60; i++) {
            assertThat(p.take(offer(i), peer(i), NOW)).as("recent offer %d", i).isTrue();
        }
    }

    @Test
    void aBoundBelowTheInitialSizeIsHonoured() {
        PendingOffers p = new PendingOffers(3);
        for (int i = 0; i < 5; i++) {
            p.add(offer(i), peer(i), LATER);
        }

        assertThat(p.size()).isEqualTo(3);
        assertThat(p.take(offer(0), peer(0), NOW)).isFalse();
        assertThat(p.take(offer(1), peer(1), NOW)).isFalse();
        assertThat(p.take(offer(2), peer(2), NOW)).isTrue();
        assertThat(p.take(offer(3), peer(3), NOW)).isTrue();
        assertThat(p.take(offer(4), peer(4), NOW)).isTrue();
    }

    @Test
    void aSlotFreedByAnAnswerIsReusedBeforeAnythingIsForgotten() {
        PendingOffers p = new PendingOffers(4);
        for (int i = 0; i < 4; i++) {
            p.add(offer(i), peer(i), LATER);
        }
        assertThat(p.take(offer(1), peer(1), NOW)).isTrue();

        p.add(offer(4), peer(4), LATER);

        assertThat(p.size()).isEqualTo(4);
        for (int i : new int[] {0, 2, 3, 4}) {
            assertThat(p.take(offer(i), peer(i), NOW)).as("offer %d", i).isTrue();
        }
    }

    @Test
    void whenFullAfterAnAnswerFreedASlotTheOldestOfferStillMakesRoom() {
        // Offers 0..3 fill the table; 1 is answered and 4 takes its slot. Offer 5 must push out
        // offer 0, the oldest still waiting, not one sent after it.
        PendingOffers p = new PendingOffers(4);
        for (int i = 0; i < 4; i++) {
            p.add(offer(i), peer(i), LATER + i);
        }
        assertThat(p.take(offer(1), peer(1), NOW)).isTrue();
        p.add(offer(4), peer(4), LATER + 4);

        p.add(offer(5), peer(5), LATER + 5);

        assertThat(p.size()).isEqualTo(4);
        assertThat(p.take(offer(0), peer(0), NOW)).as("oldest offer 0 is forgotten").isFalse();
        for (int i : new int[] {2, 3, 4, 5}) {
            assertThat(p.take(offer(i), peer(i), NOW)).as("newer offer %d is kept", i).isTrue();
        }
    }

    @Test
    void purgeDropsOnlyExpiredOffersAndSaysWhetherAnyRemain() {
        PendingOffers p = new PendingOffers(50);
        p.add(offer(1), peer(1), 2_000);
        p.add(offer(2), peer(2), 3_000);
        p.add(offer(3), peer(3), 4_000);

        assertThat(p.purge(1_999)).isTrue();
        assertThat(p.size()).isEqualTo(3);
        assertThat(p.purge(3_000)).as("an offer at its deadline is expired").isTrue();
        assertThat(p.size()).isEqualTo(1);
        assertThat(p.take(offer(3), peer(3), 3_500)).isTrue();
        assertThat(p.purge(3_500)).isFalse();

        p.add(offer(4), peer(4), 9_000);
        assertThat(p.purge(9_000)).isFalse();
        assertThat(p.size()).isZero();
    }

    @Test
    void purgedSlotsAreReusedWithoutForgettingLiveOffers() {
        PendingOffers p = new PendingOffers(8);
        for (int i = 0; i < 8; i++) {
            p.add(offer(i), peer(i), i < 4 ? 2_000 : 9_000);
        }
        p.purge(2_000);
        for (int i = 8; i < 12; i++) {
            p.add(offer(i), peer(i), 9_000);
        }

        assertThat(p.size()).isEqualTo(8);
        for (int i = 4; i < 12; i++) {
            assertThat(p.take(offer(i), peer(i), NOW)).as("offer %d", i).isTrue();
        }
    }

    @Test
    void deadlinesCompareCorrectlyAcrossTheNanoClockWrap() {
        PendingOffers p = new PendingOffers(8);
        long now = Long.MAX_VALUE - 10;
        p.add(offer(1), peer(1), now + 100); // wraps to a negative number

        assertThat(p.purge(now + 50)).isTrue();
        assertThat(p.take(offer(1), peer(1), now + 99)).isTrue();
    }
}

package org.btrelay.tracker;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PeerListTest {

    private static Peer peer(int n) {
        return new Peer(TrackerHarness.peer(n), null, new byte[] {10, 0, 0, (byte) n}, 6881, false);
    }

    private static List<Peer> fill(PeerList list, int count) {
        List<Peer> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Peer p = peer(i);
            list.add(p);
            out.add(p);
        }
        return out;
    }

    private static void assertIndexesConsistent(PeerList list) {
        for (int i = 0; i < list.size(); i++) {
            assertThat(list.get(i).index).as("index of the peer at %d", i).isEqualTo(i);
        }
    }

    @Test
    void removeKeepsEveryIndexPointingAtItsPeer() {
        PeerList list = new PeerList();
        List<Peer> peers = fill(list, 10);

        list.remove(peers.get(4));   // middle
        assertIndexesConsistent(list);
        list.remove(peers.get(0));   // first
        assertIndexesConsistent(list);
        list.remove(peers.get(9));   // whichever peer is last now, or one moved into a hole
        assertIndexesConsistent(list);

        assertThat(list.size()).isEqualTo(7);
        assertThat(peers.get(4).index).isEqualTo(-1);
        assertThat(peers.get(0).index).isEqualTo(-1);
        Set<Peer> remaining = new HashSet<>();
        for (int i = 0; i < list.size(); i++) {
            remaining.add(list.get(i));
        }
        assertThat(remaining).containsExactlyInAnyOrder(peers.get(1), peers.get(2), peers.get(3), peers.get(5),
                peers.get(6), peers.get(7), peers.get(8));
    }

    @Test
    void randomAddsAndRemovesKeepTheListConsistent() {
        Random rnd = new Random(3);
        PeerList list = new PeerList();
        List<Peer> inside = new ArrayList<>();
        int next = 0;
        for (int step = 0; step < 5_000; step++) {
            if (inside.isEmpty() || rnd.nextInt(3) > 0 && inside.size() < 200) {
                Peer p = peer(next++);
                list.add(p);
                inside.add(p);
            } else {
                Peer p = inside.remove(rnd.nextInt(inside.size()));
                list.remove(p);
                assertThat(p.index).isEqualTo(-1);
            }
            assertThat(list.size()).isEqualTo(inside.size());
        }
        assertIndexesConsistent(list);
        Set<Peer> listed = new HashSet<>();
        for (int i = 0; i < list.size(); i++) {
            listed.add(list.get(i));
        }
        assertThat(listed).containsExactlyInAnyOrderElementsOf(inside);
    }

    @Test
    void removingTheOnlyPeerLeavesAnEmptyList() {
        PeerList list = new PeerList();
        Peer p = peer(1);
        list.add(p);
        list.remove(p);

        assertThat(list.size()).isZero();
        assertThat(list.sample(5, null, new Peer[5])).isZero();
    }

    @Test
    void sampleReturnsDistinctMembersOtherThanTheExcludedOneForEverySize() {
        for (int size = 0; size <= 60; size++) {
            PeerList list = new PeerList();
            List<Peer> peers = fill(list, size);
            for (int want = 0; want <= size + 2; want++) {
                for (int rep = 0; rep < 5; rep++) {
                    Peer exclude = size == 0 ? null : peers.get((want + rep) % size);
                    Peer[] out = new Peer[want];
                    int n = list.sample(want, exclude, out);

                    int eligible = exclude == null ? size : size - 1;
                    assertThat(n).as("size %d want %d", size, want).isEqualTo(Math.min(want, eligible));
                    Set<Peer> picked = new HashSet<>();
                    for (int i = 0; i < n; i++) {
                        assertThat(out[i]).isNotNull().isNotSameAs(exclude);
                        assertThat(peers).contains(out[i]);
                        assertThat(picked.add(out[i])).as("distinct, size %d want %d", size, want).isTrue();
                    }
                }
            }
        }
    }

    @Test
    void sampleWithoutExclusionCanReturnTheWholeList() {
        PeerList list = new PeerList();
        List<Peer> peers = fill(list, 100);
        Peer[] out = new Peer[100];

        assertThat(list.sample(100, null, out)).isEqualTo(100);
        assertThat(out).containsExactlyInAnyOrderElementsOf(peers);
    }

    @Test
    void anExcludedPeerFromOutsideTheListDoesNotReduceTheSample() {
        PeerList list = new PeerList();
        fill(list, 3);
        Peer stranger = peer(99);

        assertThat(list.sample(3, stranger, new Peer[3])).isEqualTo(3);
    }

    @Test
    void sampleOfALargeListIsDistinctAndExcludesTheSender() {
        PeerList list = new PeerList();
        List<Peer> peers = fill(list, 5_000);
        Peer exclude = peers.get(1234);
        for (int rep = 0; rep < 2_000; rep++) {
            Peer[] out = new Peer[10];
            int n = list.sample(10, exclude, out);

            assertThat(n).isEqualTo(10);
            assertThat(Set.of(out)).hasSize(10).doesNotContain(exclude);
        }
    }

    @Test
    void singlePicksFromTwentyPeersAreSpreadEvenly() {
        assertEachPeerPickedWithinBand(20, 1, 10_000, 0.25);
    }

    @Test
    void fivePicksFromTwentyPeersAreSpreadEvenly() {
        assertEachPeerPickedWithinBand(20, 5, 10_000, 0.25);
    }

    @Test
    void tenPicksFromTwoHundredPeersAreSpreadEvenly() {
        assertEachPeerPickedWithinBand(200, 10, 20_000, 0.25);
    }

    /** Every eligible peer is picked within {@code band} of its fair share; the excluded never. */
    private static void assertEachPeerPickedWithinBand(int size, int want, int draws, double band) {
        PeerList list = new PeerList();
        List<Peer> peers = fill(list, size);
        Peer exclude = peers.get(size / 3);
        Map<Peer, Integer> picks = new HashMap<>();
        Peer[] out = new Peer[want];
        for (int d = 0; d < draws; d++) {
            int n = list.sample(want, exclude, out);
            assertThat(n).isEqualTo(want);
            for (int i = 0; i < n; i++) {
                picks.merge(out[i], 1, Integer::sum);
            }
        }
        double fair = (double) draws * want / (size - 1);
        assertThat(picks).doesNotContainKey(exclude).hasSize(size - 1);
        for (Map.Entry<Peer, Integer> e : picks.entrySet()) {
            assertThat((double) e.getValue())
                    .as("picks of peer at index %d (fair share %.0f)", e.getKey().index, fair)
                    .isBetween(fair * (1 - band), fair * (1 + band));
        }
    }
}

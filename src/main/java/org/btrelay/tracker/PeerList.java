package org.btrelay.tracker;

import java.util.ArrayList;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Peers in an array with O(1) add, remove (swap with the last) and random access, so random
 * sampling needs no copy. Each peer remembers its index.
 */
final class PeerList {
    private final ArrayList<Peer> peers = new ArrayList<>(4);

    int size() {
        return peers.size();
    }

    Peer get(int i) {
        return peers.get(i);
    }

    void add(Peer p) {
        p.index = peers.size();
        peers.add(p);
    }

    void remove(Peer p) {
        int i = p.index;
        Peer last = peers.remove(peers.size() - 1);
        if (last != p) {
            peers.set(i, last);
            last.index = i;
        }
        p.index = -1;
    }

    /**
     * Picks up to {@code want} distinct peers other than {@code exclude}, uniformly at random.
     * Cost is O(want) for large lists (rejection sampling) and O(size) for small ones (shuffle).
     */
    int sample(int want, Peer exclude, Peer[] out) {
        int n = peers.size();
        int eligible = n - (exclude != null && exclude.index >= 0 && peers.get(exclude.index) == exclude ? 1 : 0);
        want = Math.min(want, eligible);
        if (want <= 0) {
            return 0;
        }
        ThreadLocalRandom rnd = ThreadLocalRandom.current();
        int count = 0;
        if (n > 4 * want) {
            int attempts = 8 * want;
            while (count < want && attempts-- > 0) {
                Peer p = peers.get(rnd.nextInt(n));
                if (p != exclude && !contains(out, count, p)) {
                    out[count++] = p;
                }
            }
            if (count == want) {
                return count;
            }
        }
        // Small list (or unlucky draws): a partial Fisher-Yates shuffle of the indexes, so every
        // subset stays equally likely.
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) {
            idx[i] = i;
        }
        for (int i = 0; i < n && count < want; i++) {
            int j = i + rnd.nextInt(n - i);
            int pick = idx[j];
            idx[j] = idx[i];
            Peer p = peers.get(pick);
            if (p != exclude && !contains(out, count, p)) {
                out[count++] = p;
            }
        }
        return count;
    }

    private static boolean contains(Peer[] arr, int len, Peer p) {
        for (int i = 0; i < len; i++) {
            if (arr[i] == p) {
                return true;
            }
        }
        return false;
    }
}

package org.btrelay.tracker;

import java.util.Arrays;

/**
 * Offers one peer sent that wait for an answer. Starts small and grows up to a bound; when full,
 * the oldest offer makes room. Guarded by the swarm's lock.
 */
final class PendingOffers {
    private static final int INITIAL = 8;

    private final int max;
    private Id20[] offerIds;
    private Id20[] targets;
    /** Each target's {@link Id20#hashCode()}: scans compare these ints and look at an id only on a match. */
    private int[] targetHashes;
    private long[] expires;
    /** Insertion order, to find the oldest offer (offers of one announce share their expiry). */
    private long[] seq;
    private long nextSeq;
    private int live;

    PendingOffers(int max) {
        this.max = max;
        int n = Math.min(INITIAL, max);
        offerIds = new Id20[n];
        targets = new Id20[n];
        targetHashes = new int[n];
        expires = new long[n];
        seq = new long[n];
    }

    void add(Id20 offerId, Id20 target, long expiresNanos) {
        int n = offerIds.length;
        if (live == n && n < max) {
            int grown = Math.min(max, 2 * n);
            offerIds = Arrays.copyOf(offerIds, grown);
            targets = Arrays.copyOf(targets, grown);
            targetHashes = Arrays.copyOf(targetHashes, grown);
            expires = Arrays.copyOf(expires, grown);
            seq = Arrays.copyOf(seq, grown);
            n = grown;
        }
        int slot = -1;
        if (live < n) {
            for (int i = 0; i < n && slot < 0; i++) {
                if (offerIds[i] == null) {
                    slot = i;
                }
            }
            live++;
        } else {
            // Full: the oldest offer makes room.
            slot = 0;
            for (int i = 1; i < n; i++) {
                if (seq[i] < seq[slot]) {
                    slot = i;
                }
            }
        }
        offerIds[slot] = offerId;
        targets[slot] = target;
        targetHashes[slot] = target.hashCode();
        expires[slot] = expiresNanos;
        seq[slot] = nextSeq++;
    }

    /** Removes the offer {@code offerId} sent to {@code target}; true if it was there and live. */
    boolean take(Id20 offerId, Id20 target, long nowNanos) {
        int hash = target.hashCode();
        for (int i = 0; i < offerIds.length; i++) {
            if (targetHashes[i] == hash && offerId.equals(offerIds[i]) && target.equals(targets[i])) {
                boolean fresh = expires[i] - nowNanos > 0;
                clear(i);
                return fresh;
            }
        }
        return false;
    }

    /** Drops expired offers; returns whether any remain. */
    boolean purge(long nowNanos) {
        for (int i = 0; i < offerIds.length; i++) {
            if (offerIds[i] != null && expires[i] - nowNanos <= 0) {
                clear(i);
            }
        }
        return live > 0;
    }

    int size() {
        return live;
    }

    private void clear(int i) {
        offerIds[i] = null;
        targets[i] = null;
        live--;
    }
}

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
    private long[] expires;
    /** Where the next offer goes when every slot is taken: the oldest one. */
    private int next;
    private int live;

    PendingOffers(int max) {
        this.max = max;
        int n = Math.min(INITIAL, max);
        offerIds = new Id20[n];
        targets = new Id20[n];
        expires = new long[n];
    }

    void add(Id20 offerId, Id20 target, long expiresNanos) {
        int n = offerIds.length;
        if (live == n && n < max) {
            int grown = Math.min(max, 2 * n);
            offerIds = Arrays.copyOf(offerIds, grown);
            targets = Arrays.copyOf(targets, grown);
            expires = Arrays.copyOf(expires, grown);
            next = n;
            n = grown;
        }
        int slot = next;
        if (live < n) {
            while (offerIds[slot] != null) {
                slot = (slot + 1) % n;
            }
            live++;
        }
        offerIds[slot] = offerId;
        targets[slot] = target;
        expires[slot] = expiresNanos;
        next = (slot + 1) % n;
    }

    /** Removes the offer {@code offerId} sent to {@code target}; true if it was there and live. */
    boolean take(Id20 offerId, Id20 target, long nowNanos) {
        for (int i = 0; i < offerIds.length; i++) {
            if (offerId.equals(offerIds[i]) && target.equals(targets[i])) {
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

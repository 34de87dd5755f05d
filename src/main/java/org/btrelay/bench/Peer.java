package org.btrelay.bench;

import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.Arrays;

/**
 * One simulated browser: its identity, its WebSocket connection and what it waits for. Owned by
 * one {@link Worker} thread; never touched by another.
 */
final class Peer {
    enum State { NEW, CONNECTING, HANDSHAKE, OPEN, CLOSED }

    final int index;
    final String peerId;
    final String[] infoHashes;
    final boolean seeder;
    /** The first 8 characters of every offer_id this peer makes; unique per peer in a run. */
    final String offerPrefix;
    long offersMade;
    private int nextTorrent;

    State state = State.NEW;
    SocketChannel channel;
    SelectionKey key;
    /** Sec-WebSocket-Accept the server must send back. */
    String expectedAccept;

    /** Received bytes that do not form a whole frame (or, before the upgrade, a whole header) yet. */
    byte[] partial;
    int partialLen;
    /** A fragmented text message being put together. */
    byte[] fragment;
    int fragmentLen;
    boolean inFragment;
    /** Bytes queued in this loop turn, or that the socket did not take yet (position = bytes waiting). */
    ByteBuffer pendingOut;
    /** Listed for the write at the end of the loop turn. */
    boolean dirty;
    /** Whether the selector watches for writability. */
    boolean wantWrite;

    /** Send times of announces and scrapes waiting for their replies, oldest first. */
    final TimeQueue announces = new TimeQueue();
    final TimeQueue scrapes = new TimeQueue();

    Peer(int index, String peerId, String[] infoHashes, boolean seeder, String offerPrefix) {
        this.index = index;
        this.peerId = peerId;
        this.infoHashes = infoHashes;
        this.seeder = seeder;
        this.offerPrefix = offerPrefix;
    }

    /** The torrent this peer announces next, round robin over the ones it joined. */
    int nextTorrent() {
        int t = nextTorrent;
        nextTorrent = (t + 1) % infoHashes.length;
        return t;
    }

    boolean isOpen() {
        return state == State.OPEN;
    }

    void keepPartial(byte[] src, int from, int len) {
        if (partial == null || partial.length < len) {
            partial = new byte[Math.max(len, 256)];
        }
        System.arraycopy(src, from, partial, 0, len);
        partialLen = len;
    }

    void appendFragment(byte[] src, int from, int len) {
        if (fragment == null) {
            fragment = new byte[Math.max(1024, len)];
        } else if (fragmentLen + len > fragment.length) {
            fragment = Arrays.copyOf(fragment, Math.max(2 * fragment.length, fragmentLen + len));
        }
        System.arraycopy(src, from, fragment, fragmentLen, len);
        fragmentLen += len;
    }

    /** A FIFO of nanosecond timestamps. */
    static final class TimeQueue {
        private long[] items = new long[4];
        private int head;
        private int size;

        void push(long t) {
            if (size == items.length) {
                long[] grown = new long[items.length * 2];
                for (int i = 0; i < size; i++) {
                    grown[i] = items[(head + i) % items.length];
                }
                items = grown;
                head = 0;
            }
            items[(head + size) % items.length] = t;
            size++;
        }

        /** The oldest timestamp, or 0 when nothing waits. */
        long pop() {
            if (size == 0) {
                return 0;
            }
            long t = items[head];
            head = (head + 1) % items.length;
            size--;
            return t;
        }

        int size() {
            return size;
        }
    }
}

package org.btrelay.tracker;

/**
 * Where the tracker sends signals meant for one peer: a WebSocket connection today, a link to
 * another relay tomorrow. The tracker core never touches a socket itself.
 */
public interface PeerChannel {
    /**
     * Hands a signal to the peer. Called outside every tracker lock; must not block. An
     * implementation that cannot take more (a slow reader) drops the signal or closes itself.
     */
    void deliver(Signal signal);
}

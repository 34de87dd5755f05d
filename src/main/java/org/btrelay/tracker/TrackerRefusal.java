package org.btrelay.tracker;

/** The tracker will not take a new connection; the message says why, for the client. */
public final class TrackerRefusal extends Exception {
    public TrackerRefusal(String message) {
        super(message, null, false, false);
    }
}

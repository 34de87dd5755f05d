package org.btrelay.tracker;

/** Announce events (BEP 3, plus WebTorrent's {@code paused}); a missing event is {@link #UPDATE}. */
public enum Event {
    STARTED, STOPPED, COMPLETED, UPDATE, PAUSED;

    /**
     * Parses the wire name; {@code null} or empty means {@link #UPDATE}.
     *
     * @return the event, or {@code null} when the name is not one of the known events
     */
    public static Event parse(String name) {
        if (name == null || name.isEmpty()) {
            return UPDATE;
        }
        return switch (name) {
            case "started" -> STARTED;
            case "stopped" -> STOPPED;
            case "completed" -> COMPLETED;
            case "update" -> UPDATE;
            case "paused" -> PAUSED;
            default -> null;
        };
    }
}

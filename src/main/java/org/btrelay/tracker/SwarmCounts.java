package org.btrelay.tracker;

/** Scrape figures of one torrent. {@code downloaded} counts completed downloads seen here. */
public record SwarmCounts(int complete, int incomplete, int downloaded) {
    public static final SwarmCounts EMPTY = new SwarmCounts(0, 0, 0);
}

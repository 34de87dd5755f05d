package org.btrelay.mesh;

/**
 * Told when a link to another relay comes up (authenticated, the one link kept for that relay)
 * and when it goes down again. Called on the mesh thread; every {@code up} is followed by exactly
 * one {@code down} for the same {@link Link}, and a relay has at most one link up at a time.
 */
public interface LinkListener {
    default void up(Link link) {}

    default void down(Link link) {}
}

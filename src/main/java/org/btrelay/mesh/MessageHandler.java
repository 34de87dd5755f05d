package org.btrelay.mesh;

/** What to do with one type of link message; called on the mesh thread, for authenticated links only. */
@FunctionalInterface
public interface MessageHandler<M extends LinkMessage> {
    void handle(Link from, M message);
}

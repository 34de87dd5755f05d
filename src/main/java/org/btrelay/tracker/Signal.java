package org.btrelay.tracker;

/**
 * A WebRTC signal the tracker routes from one peer to another. {@code sdpJson} is the
 * offer or answer object exactly as the sender wrote it (validated, size-bounded JSON).
 */
public sealed interface Signal {
    Id20 infoHash();

    /** The peer the signal comes from. */
    Id20 fromPeerId();

    Id20 offerId();

    String sdpJson();

    /** An offer forwarded to a peer that may answer it. */
    record Offer(Id20 infoHash, Id20 fromPeerId, Id20 offerId, String sdpJson) implements Signal {}

    /** An answer routed back to the peer that sent the offer. */
    record Answer(Id20 infoHash, Id20 fromPeerId, Id20 offerId, String sdpJson) implements Signal {}
}

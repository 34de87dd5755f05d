package org.btrelay.tracker;

/** A WebRTC answer from {@code peerId} to the offer {@code offerId} that {@code toPeerId} sent. */
public record AnswerRequest(
        Id20 infoHash, Id20 peerId, Id20 toPeerId, Id20 offerId, String sdpJson, Session session) {}

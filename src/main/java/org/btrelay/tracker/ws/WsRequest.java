package org.btrelay.tracker.ws;

import java.util.List;
import org.btrelay.tracker.Event;
import org.btrelay.tracker.Id20;
import org.btrelay.tracker.OfferPayload;

/** A WebTorrent tracker message from a client, parsed and validated by {@link WsCodec}. */
public sealed interface WsRequest {

    /**
     * {@code left} is {@link org.btrelay.tracker.AnnounceRequest#UNKNOWN_LEFT} when absent or null.
     * {@code droppedOffers} malformed offers were left out; {@code warning} then says so for the
     * client (else {@code null}).
     */
    record Announce(Id20 infoHash, Id20 peerId, Event event, long left, long uploaded, long downloaded,
                    List<OfferPayload> offers, int droppedOffers, String warning) implements WsRequest {
        public Announce(Id20 infoHash, Id20 peerId, Event event, long left, long uploaded, long downloaded,
                        List<OfferPayload> offers) {
            this(infoHash, peerId, event, left, uploaded, downloaded, offers, 0, null);
        }
    }

    record Answer(Id20 infoHash, Id20 peerId, Id20 toPeerId, Id20 offerId, String answerJson)
            implements WsRequest {}

    /** {@code infoHashes} is {@code null} for "all torrents"; empty for the keep-alive. */
    record Scrape(List<Id20> infoHashes) implements WsRequest {}

    /**
     * A message that cannot be served. {@code action} and {@code infoHash} are set when they were
     * readable, so the failure can name them as the reference tracker does.
     */
    record Invalid(String reason, String action, Id20 infoHash) implements WsRequest {}
}

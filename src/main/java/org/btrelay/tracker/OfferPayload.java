package org.btrelay.tracker;

/** One offer carried by an announce: its id and the offer object as JSON text. */
public record OfferPayload(Id20 offerId, String sdpJson) {}

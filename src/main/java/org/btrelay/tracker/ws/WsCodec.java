package org.btrelay.tracker.ws;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.btrelay.tracker.AnnounceRequest;
import org.btrelay.tracker.Event;
import org.btrelay.tracker.Id20;
import org.btrelay.tracker.OfferPayload;
import org.btrelay.tracker.Signal;
import org.btrelay.tracker.SwarmCounts;

/**
 * The WebTorrent tracker wire format: JSON text frames whose ids are 20-character Latin-1 strings.
 * Parsing is a single streaming pass with Jackson over the frame's UTF-8 bytes; unknown fields are
 * skipped, every size is bounded, and no input throws: a bad message becomes
 * {@link WsRequest.Invalid}. An offer or answer object is taken as the exact text of the message
 * that holds it (checked by the parser, never re-serialised) and handed to the core as a string.
 * Replies are written as UTF-8 bytes.
 */
public final class WsCodec {
    private static final JsonFactory JSON = new JsonFactoryBuilder()
            // Each thread keeps one generator and writes one reply after another with it.
            .rootValueSeparator((String) null)
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(32).build())
            .build();
    private static final ThreadLocal<ReplyWriter> WRITERS = ThreadLocal.withInitial(ReplyWriter::new);

    private final int maxOffers;
    private final int maxSdpBytes;
    private final int maxScrapeHashes;

    public WsCodec(int maxOffers, int maxSdpBytes, int maxScrapeHashes) {
        this.maxOffers = maxOffers;
        this.maxSdpBytes = maxSdpBytes;
        this.maxScrapeHashes = maxScrapeHashes;
    }

    // ------------------------------------------------------------------ parsing

    /** Fields of one message as read, before they are checked against each other. */
    private static final class Fields {
        /** The message and where it starts: offer and answer objects are slices of it. */
        final byte[] in;
        final int start;
        String action;
        boolean hasInfoHash;
        String infoHash;
        List<String> infoHashList;
        String peerId;
        String toPeerId;
        String offerId;
        String event;
        long left = AnnounceRequest.UNKNOWN_LEFT;
        long uploaded;
        long downloaded;
        List<OfferPayload> offers;
        /** Offers left out because they were malformed, and the first reason. */
        int droppedOffers;
        String droppedReason;
        String answer;
        /** The first rule a field broke; reading goes on so action and info_hash can be echoed. */
        String error;

        Fields(byte[] in, int start) {
            this.in = in;
            this.start = start;
        }
    }

    /** Thrown inside the parser for a message that breaks a rule; never escapes {@link #parse}. */
    private static final class Bad extends Exception {
        Bad(String reason) {
            super(reason, null, false, false);
        }
    }

    public WsRequest parse(String text) {
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        return parse(utf8, 0, utf8.length);
    }

    /**
     * Reads one message from {@code len} bytes of UTF-8 at {@code off}. Nothing of the array is kept:
     * the caller may reuse it as soon as this returns.
     */
    public WsRequest parse(byte[] in, int off, int len) {
        Fields f = new Fields(in, off);
        try (JsonParser p = JSON.createParser(in, off, len)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return new WsRequest.Invalid("message must be a JSON object", null, null);
            }
            readFields(p, f);
            if (p.nextToken() != null) {
                return new WsRequest.Invalid("unexpected data after the JSON object", null, null);
            }
            if (f.error != null) {
                return invalid(f.error, f);
            }
        } catch (IOException | RuntimeException e) {
            return new WsRequest.Invalid("malformed JSON", null, null);
        }
        try {
            if ("announce".equals(f.action)) {
                return announce(f);
            }
            if ("scrape".equals(f.action)) {
                return scrape(f);
            }
            return new WsRequest.Invalid("invalid action", null, null);
        } catch (Bad e) {
            return invalid(e.getMessage(), f);
        }
    }

    private static WsRequest.Invalid invalid(String reason, Fields f) {
        // The action and info_hash are echoed only when they are themselves valid.
        String action = "announce".equals(f.action) || "scrape".equals(f.action) ? f.action : null;
        return new WsRequest.Invalid(reason, action, f.infoHash == null ? null : Id20.fromLatin1(f.infoHash));
    }

    /**
     * Reads the top-level fields in any order. A field that breaks a rule is noted and skipped, so
     * that an {@code action} or {@code info_hash} written after it is still seen (webtorrent writes
     * its counters first).
     */
    private void readFields(JsonParser p, Fields f) throws IOException {
        JsonStreamContext top = p.getParsingContext();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken t = p.nextToken();
            try {
                readField(p, f, name, t);
            } catch (Bad e) {
                if (f.error == null) {
                    f.error = e.getMessage();
                }
                // Back to the top-level object, past whatever the bad value was nested in.
                while (p.getParsingContext() != top) {
                    if (p.nextToken() == null) {
                        throw new IOException("truncated");
                    }
                }
            }
        }
    }

    private void readField(JsonParser p, Fields f, String name, JsonToken t) throws IOException, Bad {
        switch (name) {
            case "action" -> f.action = string(p, t, "action");
            case "info_hash" -> {
                f.hasInfoHash = t != JsonToken.VALUE_NULL;
                if (t == JsonToken.START_ARRAY) {
                    f.infoHashList = stringList(p, maxScrapeHashes);
                } else {
                    f.infoHash = string(p, t, "info_hash");
                }
            }
            case "peer_id" -> f.peerId = string(p, t, "peer_id");
            case "to_peer_id" -> f.toPeerId = string(p, t, "to_peer_id");
            case "offer_id" -> f.offerId = string(p, t, "offer_id");
            case "event" -> f.event = string(p, t, "event");
            case "left" -> f.left = number(p, t, "left", AnnounceRequest.UNKNOWN_LEFT);
            case "uploaded" -> f.uploaded = number(p, t, "uploaded", 0);
            case "downloaded" -> f.downloaded = number(p, t, "downloaded", 0);
            case "offers" -> f.offers = offers(p, t, f);
            case "answer" -> f.answer = t == JsonToken.VALUE_NULL ? null : sdpObject(p, t, "answer", f);
            default -> p.skipChildren();
        }
    }

    private static String string(JsonParser p, JsonToken t, String name) throws IOException, Bad {
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        if (t != JsonToken.VALUE_STRING) {
            throw new Bad("invalid " + name);
        }
        return p.getText();
    }

    private static List<String> stringList(JsonParser p, int max) throws IOException, Bad {
        List<String> out = new ArrayList<>();
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            if (t != JsonToken.VALUE_STRING) {
                throw new Bad("invalid info_hash");
            }
            if (out.size() == max) {
                throw new Bad("too many info_hash values in one scrape (at most " + max + ")");
            }
            out.add(p.getText());
        }
        return out;
    }

    private static long number(JsonParser p, JsonToken t, String name, long ifNull) throws IOException, Bad {
        if (t == JsonToken.VALUE_NULL) {
            return ifNull;
        }
        if (t != JsonToken.VALUE_NUMBER_INT && t != JsonToken.VALUE_NUMBER_FLOAT) {
            throw new Bad("invalid " + name);
        }
        double d = p.getDoubleValue();
        if (!(d >= 0) || d > 9.0e18) {
            throw new Bad("invalid " + name);
        }
        return (long) d;
    }

    /**
     * Strict about what is forwarded, lenient about the rest (as the reference tracker answers such
     * announces): a malformed offer is left out and counted, and the announce is still served.
     */
    private List<OfferPayload> offers(JsonParser p, JsonToken t, Fields f) throws IOException {
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        if (t != JsonToken.START_ARRAY) {
            p.skipChildren();
            dropOffer(f, "offers must be a list");
            return null;
        }
        List<OfferPayload> out = new ArrayList<>();
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            if (t != JsonToken.START_OBJECT) {
                p.skipChildren();
                dropOffer(f, "an offer must be an object");
                continue;
            }
            String offer = null;
            String offerId = null;
            String problem = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken v = p.nextToken();
                try {
                    switch (name) {
                        case "offer" -> offer = sdpObject(p, v, "offer", f);
                        case "offer_id" -> offerId = string(p, v, "offer_id");
                        default -> p.skipChildren();
                    }
                } catch (Bad e) {
                    // The value was a scalar, or an object already stepped over: skipping is safe.
                    p.skipChildren();
                    problem = problem == null ? e.getMessage() : problem;
                }
            }
            Id20 id = Id20.fromLatin1(offerId);
            if (problem == null && (offer == null || id == null)) {
                problem = offer == null ? "invalid offer" : "invalid offer_id";
            }
            if (problem != null) {
                dropOffer(f, problem);
            } else if (out.size() < maxOffers) {
                // Offers beyond the limit are read (the frame is bounded) but not forwarded.
                out.add(new OfferPayload(id, offer));
            }
        }
        return out;
    }

    private static void dropOffer(Fields f, String reason) {
        f.droppedOffers++;
        if (f.droppedReason == null) {
            f.droppedReason = reason;
        }
    }

    /**
     * An offer/answer object as the sender wrote it, within the SDP size limit: the parser checks
     * it while stepping over it, and the bytes from its opening to its closing brace are the slice.
     */
    private String sdpObject(JsonParser p, JsonToken t, String name, Fields f) throws IOException, Bad {
        if (t != JsonToken.START_OBJECT) {
            throw new Bad("invalid " + name);
        }
        // Byte offsets count from the start of the parsed range.
        long open = p.currentTokenLocation().getByteOffset();
        p.skipChildren();
        long size = p.currentTokenLocation().getByteOffset() + 1 - open;
        if (size > maxSdpBytes) {
            throw new Bad(name + " is too large (at most " + maxSdpBytes + " bytes)");
        }
        return new String(f.in, f.start + (int) open, (int) size, StandardCharsets.UTF_8);
    }

    private WsRequest announce(Fields f) throws Bad {
        Id20 infoHash = Id20.fromLatin1(f.infoHash);
        if (infoHash == null) {
            throw new Bad("invalid info_hash");
        }
        Id20 peerId = Id20.fromLatin1(f.peerId);
        if (peerId == null) {
            throw new Bad("invalid peer_id");
        }
        if (f.answer != null) {
            Id20 to = Id20.fromLatin1(f.toPeerId);
            if (to == null) {
                throw new Bad("invalid to_peer_id");
            }
            Id20 offerId = Id20.fromLatin1(f.offerId);
            if (offerId == null) {
                throw new Bad("invalid offer_id");
            }
            return new WsRequest.Answer(infoHash, peerId, to, offerId, f.answer);
        }
        Event event = Event.parse(f.event);
        if (event == null) {
            throw new Bad("invalid event");
        }
        List<OfferPayload> offers = f.offers == null ? List.of() : f.offers;
        String warning = f.droppedOffers == 0 ? null
                : f.droppedOffers + (f.droppedOffers == 1 ? " offer was" : " offers were")
                        + " not forwarded: " + f.droppedReason;
        return new WsRequest.Announce(infoHash, peerId, event, f.left, f.uploaded, f.downloaded, offers,
                f.droppedOffers, warning);
    }

    private static WsRequest scrape(Fields f) throws Bad {
        if (f.infoHashList != null) {
            List<Id20> ids = new ArrayList<>(f.infoHashList.size());
            for (String s : f.infoHashList) {
                ids.add(checkedId(s));
            }
            return new WsRequest.Scrape(ids);
        }
        if (!f.hasInfoHash) {
            return new WsRequest.Scrape(null);
        }
        return new WsRequest.Scrape(List.of(checkedId(f.infoHash)));
    }

    private static Id20 checkedId(String s) throws Bad {
        Id20 id = Id20.fromLatin1(s);
        if (id == null) {
            throw new Bad("invalid info_hash");
        }
        return id;
    }

    // ------------------------------------------------------------------ writing

    private static final byte[] ANNOUNCE_REPLY = ascii("{\"action\":\"announce\",\"interval\":");
    private static final byte[] COMPLETE = ascii(",\"complete\":");
    private static final byte[] INCOMPLETE = ascii(",\"incomplete\":");
    private static final byte[] INFO_HASH = ascii(",\"info_hash\":");
    private static final byte[] OFFER = ascii("{\"action\":\"announce\",\"offer\":");
    private static final byte[] ANSWER = ascii("{\"action\":\"announce\",\"answer\":");
    private static final byte[] OFFER_ID = ascii(",\"offer_id\":");
    private static final byte[] PEER_ID = ascii(",\"peer_id\":");

    /*
     * The announce reply and the forwarded offer or answer are most of what the relay writes. They
     * have a fixed shape, so they are put straight into an array of their exact size (no generator,
     * no buffer to look up); the rarer scrape and failure replies go through Jackson.
     */

    public byte[] announceReply(Id20 infoHash, int complete, int incomplete, int interval) {
        JsonBytes out = new JsonBytes(ANNOUNCE_REPLY.length + JsonBytes.intSize(interval) + COMPLETE.length
                + JsonBytes.intSize(complete) + INCOMPLETE.length + JsonBytes.intSize(incomplete)
                + INFO_HASH.length + JsonBytes.idSize(infoHash) + 1);
        out.raw(ANNOUNCE_REPLY).integer(interval).raw(COMPLETE).integer(complete).raw(INCOMPLETE).integer(incomplete)
                .raw(INFO_HASH).id(infoHash).raw('}');
        return out.bytes();
    }

    /** The announce reply with a {@code warning message} (e.g. offers that were left out). */
    public byte[] announceReply(Id20 infoHash, int complete, int incomplete, int interval, String warning) {
        if (warning == null) {
            return announceReply(infoHash, complete, incomplete, interval);
        }
        return write(g -> {
            g.writeStringField("action", "announce");
            g.writeNumberField("interval", interval);
            g.writeNumberField("complete", complete);
            g.writeNumberField("incomplete", incomplete);
            g.writeStringField("info_hash", infoHash.toLatin1());
            g.writeStringField("warning message", warning);
        });
    }

    public byte[] signal(Signal s) {
        byte[] head = s instanceof Signal.Offer ? OFFER : ANSWER;
        byte[] sdp = s.sdpJson().getBytes(StandardCharsets.UTF_8);
        JsonBytes out = new JsonBytes(head.length + sdp.length + OFFER_ID.length + JsonBytes.idSize(s.offerId())
                + PEER_ID.length + JsonBytes.idSize(s.fromPeerId()) + INFO_HASH.length + JsonBytes.idSize(s.infoHash()) + 1);
        out.raw(head).raw(sdp).raw(OFFER_ID).id(s.offerId()).raw(PEER_ID).id(s.fromPeerId())
                .raw(INFO_HASH).id(s.infoHash()).raw('}');
        return out.bytes();
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    public byte[] scrapeReply(Map<Id20, SwarmCounts> files, int minRequestInterval) {
        return write(g -> {
            g.writeStringField("action", "scrape");
            g.writeObjectFieldStart("files");
            for (Map.Entry<Id20, SwarmCounts> e : files.entrySet()) {
                g.writeObjectFieldStart(e.getKey().toLatin1());
                g.writeNumberField("complete", e.getValue().complete());
                g.writeNumberField("incomplete", e.getValue().incomplete());
                g.writeNumberField("downloaded", e.getValue().downloaded());
                g.writeEndObject();
            }
            g.writeEndObject();
            g.writeObjectFieldStart("flags");
            g.writeNumberField("min_request_interval", minRequestInterval);
            g.writeEndObject();
        });
    }

    /**
     * A failure reply. With an action (a well-formed request the tracker refused) it carries the
     * action and info_hash; without one (a message that could not be read) only the reason.
     */
    public byte[] failure(String reason, String action, Id20 infoHash) {
        return write(g -> {
            if (action != null) {
                g.writeStringField("action", action);
            }
            g.writeStringField("failure reason", reason);
            if (action != null && infoHash != null) {
                g.writeStringField("info_hash", infoHash.toLatin1());
            }
        });
    }

    private interface Body {
        void write(JsonGenerator g) throws IOException;
    }

    private static byte[] write(Body body) {
        return WRITERS.get().write(body);
    }

    /**
     * One thread's generator and the buffer it writes into, reused for every reply: a reply costs
     * one array of its exact size and no generator set-up.
     */
    private static final class ReplyWriter extends OutputStream {
        private byte[] buf = new byte[1024];
        private int size;
        private JsonGenerator g;

        byte[] write(Body body) {
            size = 0;
            try {
                if (g == null) {
                    g = JSON.createGenerator(this, JsonEncoding.UTF8);
                }
                g.writeStartObject();
                body.write(g);
                g.writeEndObject();
                g.flush();
            } catch (IOException | RuntimeException e) {
                // The generator may be left inside an object: the next reply gets a new one.
                g = null;
                throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
            }
            byte[] out = Arrays.copyOf(buf, size);
            if (buf.length > MAX_KEPT) {
                buf = new byte[1024];
            }
            return out;
        }

        @Override
        public void write(int b) {
            ensure(1);
            buf[size++] = (byte) b;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            ensure(len);
            System.arraycopy(b, off, buf, size, len);
            size += len;
        }

        private void ensure(int more) {
            if (size + more > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + more));
            }
        }
    }

    /** A thread keeps at most this much reply buffer between replies (a large scrape may need more once). */
    private static final int MAX_KEPT = 64 * 1024;
}

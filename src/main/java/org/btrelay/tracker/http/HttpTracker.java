package org.btrelay.tracker.http;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import org.btrelay.net.ClientAddress;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.btrelay.tracker.AnnounceRequest;
import org.btrelay.tracker.AnnounceResult;
import org.btrelay.tracker.Event;
import org.btrelay.tracker.Id20;
import org.btrelay.tracker.Limits;
import org.btrelay.tracker.PeerAddress;
import org.btrelay.tracker.SwarmCounts;
import org.btrelay.tracker.Tracker;

/**
 * The HTTP tracker (BEP 3 announce, BEP 23 compact peers, BEP 7 peers6, BEP 48 scrape): parses the
 * query into a request for the {@link Tracker} and bencodes its answer. Errors are bencoded
 * {@code failure reason}s with status 200, as clients expect.
 */
public final class HttpTracker {
    static final int DEFAULT_NUMWANT = 50;
    private static final int MAX_QUERY_PARAMS = 64 + 100;
    private static final HttpString ALLOW_ORIGIN = new HttpString("Access-Control-Allow-Origin");

    private final Tracker tracker;
    private final Limits limits;

    public HttpTracker(Tracker tracker) {
        this.tracker = tracker;
        this.limits = tracker.config().limits();
    }

    public HttpHandler announceHandler() {
        return this::announce;
    }

    public HttpHandler scrapeHandler() {
        return this::scrape;
    }

    void announce(HttpServerExchange exchange) {
        byte[] body;
        try {
            Query q = Query.parse(exchange.getQueryString(), MAX_QUERY_PARAMS);
            body = announce(q, ClientAddress.of(exchange).getAddress());
        } catch (IllegalArgumentException e) {
            body = failure(e.getMessage());
        }
        reply(exchange, body);
    }

    byte[] announce(Query q, InetAddress from) {
        Id20 infoHash = id(q, "info_hash");
        Id20 peerId = id(q, "peer_id");
        long port = q.number("port", -1);
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException(port == -1 ? "missing port" : "invalid port");
        }
        Event event = Event.parse(q.text("event"));
        if (event == null) {
            throw new IllegalArgumentException("invalid event");
        }
        long left = q.number("left", AnnounceRequest.UNKNOWN_LEFT);
        int numWant = (int) Math.min(q.number("numwant", DEFAULT_NUMWANT), limits.maxNumWant());
        AnnounceResult r = tracker.announce(new AnnounceRequest(infoHash, peerId, event, left,
                q.number("uploaded", 0), q.number("downloaded", 0), numWant, List.of(), null, from, (int) port));
        if (!r.ok()) {
            return failure(r.failure());
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("complete", r.complete());
        out.put("incomplete", r.incomplete());
        out.put("interval", r.intervalSeconds());
        out.put("min interval", Math.max(1, r.intervalSeconds() / 2));
        if ("0".equals(q.text("compact"))) {
            boolean noPeerId = "1".equals(q.text("no_peer_id"));
            List<Object> peers = new ArrayList<>(r.peers().size());
            for (PeerAddress p : r.peers()) {
                Map<String, Object> d = new LinkedHashMap<>();
                if (!noPeerId) {
                    d.put("peer id", p.peerId().toBytes());
                }
                d.put("ip", ipText(p.ip()));
                d.put("port", p.port());
                peers.add(d);
            }
            out.put("peers", peers);
        } else {
            ByteArrayOutputStream v4 = new ByteArrayOutputStream();
            ByteArrayOutputStream v6 = new ByteArrayOutputStream();
            for (PeerAddress p : r.peers()) {
                ByteArrayOutputStream to = p.isIpv6() ? v6 : v4;
                to.writeBytes(p.ip());
                to.write(p.port() >> 8);
                to.write(p.port());
            }
            out.put("peers", v4.toByteArray());
            out.put("peers6", v6.toByteArray());
        }
        return Bencode.encode(out);
    }

    void scrape(HttpServerExchange exchange) {
        byte[] body;
        try {
            Query q = Query.parse(exchange.getQueryString(), MAX_QUERY_PARAMS);
            body = scrape(q);
        } catch (IllegalArgumentException e) {
            body = failure(e.getMessage());
        }
        reply(exchange, body);
    }

    byte[] scrape(Query q) {
        List<byte[]> hashes = q.all("info_hash");
        if (hashes.size() > limits.maxScrapeHashes()) {
            throw new IllegalArgumentException(
                    "too many info_hash values in one scrape (at most " + limits.maxScrapeHashes() + ")");
        }
        Map<Id20, SwarmCounts> counts;
        if (hashes.isEmpty()) {
            counts = tracker.scrapeAll(limits.maxScrapeHashes());
        } else {
            counts = new LinkedHashMap<>();
            for (byte[] h : hashes) {
                if (h.length != Id20.LENGTH) {
                    throw new IllegalArgumentException("invalid info_hash");
                }
                Id20 id = Id20.of(h);
                counts.put(id, tracker.scrape(id));
            }
        }
        Map<byte[], Object> files = new LinkedHashMap<>();
        counts.forEach((id, c) -> files.put(id.toBytes(), Map.of(
                "complete", c.complete(), "incomplete", c.incomplete(), "downloaded", c.downloaded())));
        return Bencode.encode(Map.of(
                "files", files,
                "flags", Map.of("min_request_interval", tracker.config().intervalSeconds())));
    }

    private static Id20 id(Query q, String name) {
        byte[] b = q.bytes(name);
        if (b == null) {
            throw new IllegalArgumentException("missing " + name);
        }
        if (b.length != Id20.LENGTH) {
            throw new IllegalArgumentException("invalid " + name);
        }
        return Id20.of(b);
    }

    private static String ipText(byte[] ip) {
        try {
            return InetAddress.getByAddress(ip).getHostAddress();
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] failure(String reason) {
        return Bencode.encode(Map.of("failure reason", reason));
    }

    private static void reply(HttpServerExchange exchange, byte[] body) {
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/plain");
        exchange.getResponseHeaders().put(ALLOW_ORIGIN, "*");
        exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-store");
        exchange.getResponseSender().send(ByteBuffer.wrap(body));
    }
}

package org.btrelay.tracker.ws;

import io.undertow.server.HttpServerExchange;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.btrelay.net.ClientAddress;
import org.btrelay.net.ServerWebSocket;
import org.btrelay.net.WebSocketUpgrade;
import org.btrelay.tracker.AnnounceRequest;
import org.btrelay.tracker.AnnounceResult;
import org.btrelay.tracker.AnswerRequest;
import org.btrelay.tracker.Id20;
import org.btrelay.tracker.Limits;
import org.btrelay.tracker.SwarmCounts;
import org.btrelay.tracker.Tracker;
import org.btrelay.tracker.TrackerRefusal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.StreamConnection;

/**
 * The WebTorrent WebSocket frontend: reads frames into requests for the {@link Tracker} and
 * writes its replies. It holds no tracker state of its own beyond its open connections.
 */
public final class WsTracker implements WebSocketUpgrade.Acceptor {
    private static final Logger log = LoggerFactory.getLogger(WsTracker.class);
    /** Unreadable messages tolerated on one connection before it is closed. */
    static final int MAX_INVALID_MESSAGES = 20;

    private final Tracker tracker;
    private final Limits limits;
    final WsCodec codec;
    /** What every connection shares: frame bounds and its token bucket's rate. */
    final ServerWebSocket.Bounds bounds;
    final double ratePerNano;
    final double burst;
    private final LongSupplier nanoClock;
    private final Set<WsConnection> connections = ConcurrentHashMap.newKeySet();

    public WsTracker(Tracker tracker) {
        this(tracker, System::nanoTime);
    }

    WsTracker(Tracker tracker, LongSupplier nanoClock) {
        this.tracker = tracker;
        this.limits = tracker.config().limits();
        this.codec = new WsCodec(limits.maxOffersPerAnnounce(), limits.maxSdpBytes(), limits.maxScrapeHashes());
        this.nanoClock = nanoClock;
        this.bounds = new ServerWebSocket.Bounds(limits.maxFrameBytes(), limits.maxQueuedBytesPerConnection());
        this.ratePerNano = limits.messagesPerSecond() / 1e9;
        this.burst = limits.messageBurst();
    }

    /** A WebSocket whose upgrade is done: admitted as a session of the tracker, or refused (1013). */
    @Override
    public ServerWebSocket accept(StreamConnection connection, HttpServerExchange upgrade) {
        InetSocketAddress client = ClientAddress.of(upgrade, connection);
        WsConnection conn = new WsConnection(this, connection, client, nanoClock.getAsLong());
        try {
            conn.session = tracker.openSession(conn, client.getAddress());
        } catch (TrackerRefusal refusal) {
            log.info("refused WebSocket from {}: {}", conn, refusal.getMessage());
            conn.send(codec.failure(refusal.getMessage(), null, null));
            conn.close(WsCloseCodes.TRY_AGAIN_LATER, refusal.getMessage());
            return conn;
        }
        connections.add(conn);
        log.debug("WebSocket {} open", conn);
        return conn;
    }

    /** A close began: the connection's peers leave every swarm now. */
    void closing(WsConnection conn) {
        if (conn.session != null) {
            tracker.closeSession(conn.session);
        }
    }

    /** The connection is gone. */
    void closed(WsConnection conn) {
        if (connections.remove(conn)) {
            tracker.closeSession(conn.session);
            log.debug("WebSocket {} closed", conn);
        }
    }

    /** Serves one message: {@code length} bytes of UTF-8 in {@code utf8} at {@code off}, valid during the call only. */
    void onMessage(WsConnection conn, byte[] utf8, int off, int length) {
        if (!conn.isOpen()) {
            return;
        }
        if (!conn.allowMessage(nanoClock.getAsLong())) {
            log.info("closing WebSocket {}: more than {} messages/s", conn, limits.messagesPerSecond());
            conn.close(WsCloseCodes.POLICY_VIOLATION, "too many messages");
            return;
        }
        WsRequest request = codec.parse(utf8, off, length);
        if (request instanceof WsRequest.Announce a) {
            AnnounceResult r = tracker.announce(new AnnounceRequest(a.infoHash(), a.peerId(), a.event(), a.left(),
                    a.uploaded(), a.downloaded(), 0, a.offers(), conn.session, conn.session.address(), 0));
            if (a.droppedOffers() > 0) {
                tracker.stats().offersDropped(a.droppedOffers());
            }
            conn.send(r.ok()
                    ? codec.announceReply(a.infoHash(), r.complete(), r.incomplete(), r.intervalSeconds(), a.warning())
                    : codec.failure(r.failure(), "announce", a.infoHash()));
        } else if (request instanceof WsRequest.Answer a) {
            String failure = tracker.answer(
                    new AnswerRequest(a.infoHash(), a.peerId(), a.toPeerId(), a.offerId(), a.answerJson(), conn.session));
            if (failure != null) {
                conn.send(codec.failure(failure, "announce", a.infoHash()));
            }
        } else if (request instanceof WsRequest.Scrape s) {
            Map<Id20, SwarmCounts> files;
            if (s.infoHashes() == null) {
                files = tracker.scrapeAll(limits.maxScrapeHashes());
            } else {
                files = new LinkedHashMap<>();
                for (Id20 h : s.infoHashes()) {
                    files.put(h, tracker.scrape(h));
                }
            }
            conn.send(codec.scrapeReply(files, tracker.config().intervalSeconds()));
        } else if (request instanceof WsRequest.Invalid bad) {
            conn.send(codec.failure(bad.reason(), bad.action(), bad.infoHash()));
            if (++conn.invalidMessages > MAX_INVALID_MESSAGES) {
                log.info("closing WebSocket {}: {} unreadable messages", conn, conn.invalidMessages);
                conn.close(WsCloseCodes.POLICY_VIOLATION, "too many invalid messages");
            }
        }
    }

    /** Closes connections that sent nothing for the idle timeout; called periodically. */
    public void closeIdle() {
        long now = nanoClock.getAsLong();
        long timeout = limits.idleTimeoutSeconds() * 1_000_000_000L;
        for (WsConnection c : connections) {
            if (now - c.lastMessageNanos > timeout) {
                log.debug("closing idle WebSocket {}", c);
                c.close(WsCloseCodes.IDLE, "idle");
            }
        }
    }

    /** Says goodbye to every client (close code 1001) before the server stops. */
    public void closeAll() {
        for (WsConnection c : connections) {
            c.close(WsCloseCodes.GOING_AWAY, "relay shutting down");
        }
    }

    public int connectionCount() {
        return connections.size();
    }
}

package org.btrelay.web;

import io.undertow.Handlers;
import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.server.HttpHandler;
import io.undertow.server.handlers.PathHandler;
import io.undertow.websockets.WebSocketConnectionCallback;
import java.net.BindException;
import java.net.InetSocketAddress;
import org.btrelay.net.WebSocketUpgrade;
import org.btrelay.tracker.http.HttpTracker;
import org.btrelay.tracker.ws.WsTracker;
import org.xnio.Options;

/**
 * The relay's one Undertow server. The whole route table is here:
 * <pre>
 *   /            WebSocket tracker; a plain GET shows the stats page
 *   /announce    WebSocket tracker, or the HTTP tracker's announce for a plain GET
 *   /scrape      HTTP tracker scrape
 *   /stats       stats page (HTML)
 *   /stats.json  stats (JSON, CORS *)
 *   /relay       relay-to-relay links (WebSocket; docs/relay-protocol.md)
 *   /api/node    this relay's signed record and health (JSON, CORS *)
 *   /api/relays  the swarm's relays, healthy first (JSON, CORS *)
 *   /relay-client.js  the failover helper for web apps (ES module, CORS *)
 *   /demo        share a file browser to browser through the swarm
 * </pre>
 * Every handler is non-blocking and runs on the I/O threads; nothing is dispatched.
 *
 * <p>The routes that need the mesh ({@code /relay}, {@code /api/*}) answer 503 until
 * {@link #meshReady()}: the mesh is built after the server binds (its record holds the bound
 * port), and a request in between must not find it missing.
 */
public final class RelayServer {
    private final Undertow undertow;
    private final String host;
    private volatile boolean meshReady;

    public RelayServer(String host, int port, WsTracker ws, HttpTracker http, StatsPages stats,
                       WebSocketConnectionCallback relayLinks, ApiHandlers api) {
        this.host = host;
        HttpHandler statsPage = Http.getOnly(stats.htmlHandler());
        PathHandler routes = Handlers.path(Http.notFound())
                .addExactPath("/", WebSocketUpgrade.handler(ws, statsPage))
                .addExactPath("/announce", WebSocketUpgrade.handler(ws, Http.getOnly(http.announceHandler())))
                .addExactPath("/scrape", Http.getOnly(http.scrapeHandler()))
                .addExactPath("/stats", statsPage)
                .addExactPath("/stats.json", Http.getOnly(stats.jsonHandler()))
                .addExactPath("/relay", whenMeshReady(WebSocketUpgrade.handler(relayLinks, Http.notFound())))
                .addExactPath("/api/node", whenMeshReady(Http.getOnly(api.node())))
                .addExactPath("/api/relays", whenMeshReady(Http.getOnly(api.relays())))
                .addExactPath("/relay-client.js", Http.getOnly(
                        StaticResources.resource("relay-client.js", "text/javascript; charset=utf-8")))
                .addExactPath("/demo", Http.getOnly(StaticResources.resource("demo.html", "text/html; charset=utf-8")));
        int cores = Runtime.getRuntime().availableProcessors();
        this.undertow = Undertow.builder()
                .addHttpListener(port, host)
                // One I/O thread per core the process may use: on one core, a second thread only adds
                // switches and cross-thread hand-offs of the messages it forwards.
                .setIoThreads(Math.max(1, cores))
                .setWorkerThreads(2)
                .setServerOption(UndertowOptions.MAX_HEADER_SIZE, 16 * 1024)
                .setServerOption(UndertowOptions.MAX_ENTITY_SIZE, 64L * 1024)
                .setServerOption(UndertowOptions.MAX_PARAMETERS, 200)
                .setServerOption(UndertowOptions.REQUEST_PARSE_TIMEOUT, 10_000)
                .setServerOption(UndertowOptions.NO_REQUEST_TIMEOUT, 60_000)
                .setSocketOption(Options.BACKLOG, 1024)
                .setHandler(routes)
                .build();
    }

    /**
     * Binds and starts serving.
     *
     * @throws BindException when the address is in use or cannot be bound
     */
    public void start() throws BindException {
        try {
            undertow.start();
        } catch (RuntimeException e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof BindException be) {
                    BindException out = new BindException(be.getMessage());
                    out.initCause(e);
                    throw out;
                }
            }
            throw e;
        }
    }

    /** The mesh is built and started: serve {@code /relay} and {@code /api/*} from now on. */
    public void meshReady() {
        meshReady = true;
    }

    private HttpHandler whenMeshReady(HttpHandler next) {
        return exchange -> {
            if (meshReady) {
                next.handleRequest(exchange);
            } else {
                Http.starting(exchange);
            }
        };
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) undertow.getListenerInfo().get(0).getAddress();
    }

    public String host() {
        return host;
    }

    public void stop() {
        undertow.stop();
    }
}

package org.btrelay.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocketHandshakeException;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicReference;
import org.btrelay.health.Capacity;
import org.btrelay.health.Health;
import org.btrelay.mesh.Identity;
import org.btrelay.mesh.Mesh;
import org.btrelay.mesh.MeshTiming;
import org.btrelay.tracker.Limits;
import org.btrelay.tracker.Tracker;
import org.btrelay.tracker.TrackerConfig;
import org.btrelay.tracker.http.HttpTracker;
import org.btrelay.tracker.ws.WsTracker;
import org.junit.jupiter.api.Test;

/**
 * The server binds before the mesh exists (the mesh's record holds the bound port): in between,
 * the routes that need the mesh answer 503 instead of failing on a missing one.
 */
class RelayServerStartupTest {
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void meshRoutesAnswer503UntilTheMeshIsReadyAndTheRestServesAtOnce() throws Exception {
        Tracker tracker = new Tracker(new TrackerConfig(TrackerConfig.DEFAULT_INTERVAL_SECONDS, Limits.DEFAULTS));
        AtomicReference<Mesh> mesh = new AtomicReference<>();
        StatsPages stats = new StatsPages(new StatsPages.NodeInfo("test", "test", System.currentTimeMillis()),
                tracker.stats()::snapshot, tracker::census);
        RelayServer server = new RelayServer("127.0.0.1", 0, new WsTracker(tracker), new HttpTracker(tracker), stats,
                (exchange, channel) -> mesh.get().acceptor().onConnect(exchange, channel),
                new ApiHandlers(mesh::get, JsonNodeFactory.instance::objectNode));
        server.start();
        String base = "http://127.0.0.1:" + server.address().getPort();
        try {
            for (String path : List.of("/api/relays", "/api/node")) {
                HttpResponse<String> r = get(base + path);
                assertThat(r.statusCode()).as(path).isEqualTo(503);
                assertThat(r.headers().firstValue("retry-after")).hasValue("1");
                assertThat(r.headers().firstValue("access-control-allow-origin")).hasValue("*");
                assertThat(r.body()).contains("starting");
            }
            Throwable upgrade = catchThrowable(() -> HTTP.newWebSocketBuilder()
                    .buildAsync(URI.create("ws://127.0.0.1:" + server.address().getPort() + "/relay"),
                            new JsonListener()).join());
            assertThat(upgrade).isInstanceOf(CompletionException.class).cause()
                    .isInstanceOf(WebSocketHandshakeException.class);
            assertThat(((WebSocketHandshakeException) upgrade.getCause()).getResponse().statusCode()).isEqualTo(503);
            assertThat(get(base + "/stats.json").statusCode()).as("needs no mesh").isEqualTo(200);

            Mesh m = new Mesh(Identity.ephemeral(), new Mesh.Config("test", "test", base + "/", List.of(),
                    List.of("bittorrent-relay"), MeshTiming.DEFAULTS),
                    () -> new Health(0, 0, 1, 2, 1, 2, 0, 0, 0, 0, 0, 1, Capacity.OK, System.currentTimeMillis()), null);
            try {
                mesh.set(m);
                m.start();
                server.meshReady();
                assertThat(get(base + "/api/relays").statusCode()).isEqualTo(200);
                assertThat(get(base + "/api/node").body()).contains(m.id());
                HTTP.newWebSocketBuilder().buildAsync(URI.create("ws://127.0.0.1:" + server.address().getPort()
                        + "/relay"), new JsonListener()).join().abort();
            } finally {
                m.close();
            }
        } finally {
            server.stop();
        }
    }

    static HttpResponse<String> get(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    }
}

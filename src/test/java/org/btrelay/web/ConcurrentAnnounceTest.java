package org.btrelay.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.btrelay.web.WsClient.announce;
import static org.btrelay.web.WsClient.id;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Many connections announcing at once over real sockets; counts must be exact afterwards. */
class ConcurrentAnnounceTest {
    static final int CONNECTIONS = 120;
    static final int TORRENTS = 12;

    @Test
    void concurrentAnnouncesFromManyConnectionsKeepExactCounts() throws Exception {
        try (RelayFixture relay = new RelayFixture(RelayFixture.limits("maxConnectionsPerIp", 1000))) {
            List<WsClient> clients = new ArrayList<>();
            ExecutorService pool = Executors.newFixedThreadPool(8);
            try {
                List<Future<WsClient>> opened = new ArrayList<>();
                for (int c = 0; c < CONNECTIONS; c++) {
                    int n = c;
                    opened.add(pool.submit(() -> {
                        WsClient client = new WsClient(relay.ws());
                        // Every connection joins every torrent; even ones as seeders.
                        for (int t = 0; t < TORRENTS; t++) {
                            client.send(announce(id("t" + t), id("p" + n), n % 2 == 0 ? 0 : 100, "started"));
                        }
                        for (int t = 0; t < TORRENTS; t++) {
                            assertThat(client.next().has("failure reason")).isFalse();
                        }
                        // A third of the connections send "completed".
                        if (n % 3 == 1) {
                            for (int t = 0; t < TORRENTS; t++) {
                                client.send(announce(id("t" + t), id("p" + n), 0, "completed"));
                            }
                            for (int t = 0; t < TORRENTS; t++) {
                                client.next();
                            }
                        }
                        return client;
                    }));
                }
                for (Future<WsClient> f : opened) {
                    clients.add(f.get());
                }
            } finally {
                pool.shutdown();
            }

            // Only leechers (odd n) complete a download; seeders sending "completed" change nothing.
            int completers = 0;
            for (int n = 0; n < CONNECTIONS; n++) {
                if (n % 3 == 1 && n % 2 == 1) {
                    completers++;
                }
            }
            int seeders = CONNECTIONS / 2 + completers;
            JsonNode stats = relay.statsJson();
            assertThat(stats.path("connections").asInt()).isEqualTo(CONNECTIONS);
            assertThat(stats.path("torrents").asInt()).isEqualTo(TORRENTS);
            assertThat(stats.path("peers").asInt()).as("one entry per peer and torrent").isEqualTo(CONNECTIONS * TORRENTS);
            assertThat(stats.path("peersAll").asInt()).as("each peer_id once, as the reference counts").isEqualTo(CONNECTIONS);
            assertThat(stats.path("seeders").asInt()).isEqualTo(seeders * TORRENTS);
            assertThat(stats.path("leechers").asInt()).isEqualTo((CONNECTIONS - seeders) * TORRENTS);

            WsClient probe = clients.get(0);
            for (int t = 0; t < TORRENTS; t++) {
                probe.send(JsonMessages.scrape(id("t" + t)));
                JsonNode counts = probe.next().path("files").path(id("t" + t));
                assertThat(counts.path("complete").asInt()).isEqualTo(seeders);
                assertThat(counts.path("incomplete").asInt()).isEqualTo(CONNECTIONS - seeders);
                assertThat(counts.path("downloaded").asInt()).isEqualTo(completers);
            }

            clients.forEach(WsClient::close);
            long deadline = System.nanoTime() + 10_000_000_000L;
            do {
                Thread.sleep(50);
                stats = relay.statsJson();
            } while ((stats.path("peersAll").asInt() != 0 || stats.path("connections").asInt() != 0)
                    && System.nanoTime() < deadline);
            assertThat(stats.path("peersAll").asInt()).isZero();
            assertThat(stats.path("seeders").asInt()).isZero();
            assertThat(stats.path("connections").asInt()).isZero();
            assertThat(stats.path("activeTorrents").asInt()).isZero();
        }
    }
}

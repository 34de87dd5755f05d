package org.btrelay.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.btrelay.web.WsClient.announce;
import static org.btrelay.web.WsClient.id;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class StatsPagesTest {

    @Test
    void statsJsonCountsPeersClientsAndConnections() throws Exception {
        try (RelayFixture relay = new RelayFixture();
             WsClient a = new WsClient(relay.ws());
             WsClient b = new WsClient(relay.ws())) {
            a.send(announce(id("t1"), "-WW0208-" + "a".repeat(12), 0, "started"));
            a.next();
            b.send(announce(id("t1"), "-WW0208-" + "b".repeat(12), 50, "started"));
            b.next();
            b.send(announce(id("t2"), "-qB4510-" + "b".repeat(12), 50, "started"));
            b.next();

            var response = relay.get("/stats.json");
            assertThat(response.headers().firstValue("content-type")).hasValue("application/json");
            assertThat(response.headers().firstValue("access-control-allow-origin")).hasValue("*");
            JsonNode s = WsClient.JSON.readTree(response.body());
            assertThat(s.path("name").asText()).isEqualTo("test relay");
            assertThat(s.path("torrents").asInt()).isEqualTo(2);
            assertThat(s.path("activeTorrents").asInt()).isEqualTo(2);
            assertThat(s.path("peersAll").asInt()).isEqualTo(3);
            assertThat(s.path("seeders").asInt()).isEqualTo(1);
            assertThat(s.path("leechers").asInt()).isEqualTo(2);
            assertThat(s.path("peersIPv4").asInt()).isEqualTo(3);
            assertThat(s.path("peersIPv6").asInt()).isZero();
            assertThat(s.path("connections").asInt()).isEqualTo(2);
            assertThat(s.path("announces").asInt()).isEqualTo(3);
            assertThat(s.path("clients").path("WebTorrent").path("2.8").asInt()).isEqualTo(2);
            assertThat(s.path("clients").path("qBittorrent").path("4.5.1.0").asInt()).isEqualTo(1);
            assertThat(s.has("announcesPerSecond")).isTrue();
        }
    }

    @Test
    void statsPageIsReadableHtmlWithTheTrackerUrls() throws Exception {
        try (RelayFixture relay = new RelayFixture(); WsClient a = new WsClient(relay.ws())) {
            a.send(announce(id("t1"), "-WW0208-" + "a".repeat(12), 0, "started"));
            a.next();
            for (String path : new String[] {"/stats", "/"}) {
                HttpResponse<byte[]> r = relay.get(path);
                assertThat(r.statusCode()).isEqualTo(200);
                assertThat(r.headers().firstValue("content-type").orElse("")).startsWith("text/html");
                String html = new String(r.body(), StandardCharsets.UTF_8);
                assertThat(html).contains("<title>test relay").contains("ws://127.0.0.1:" + relay.node.port() + "/announce")
                        .contains("WebTorrent").contains("<b>1</b><span>peers</span>");
            }
        }
    }

    @Test
    void statsJsonHasTheReferenceTrackersFieldsWithItsMeaning() throws Exception {
        try (RelayFixture relay = new RelayFixture();
             WsClient a = new WsClient(relay.ws());
             WsClient b = new WsClient(relay.ws());
             WsClient c = new WsClient(relay.ws())) {
            String both = "-WW0208-" + "a".repeat(12);
            a.send(announce(id("t1"), both, 0, "started"));    // seeds t1
            a.next();
            a.send(announce(id("t2"), both, 10, "started"));   // and leeches t2: one peer, seeder and leecher
            a.next();
            b.send(announce(id("t1"), "-WW0300-" + "b".repeat(12), 0, "started"));
            b.next();
            c.send(announce(id("t2"), "-qB4510-" + "c".repeat(12), 10, "started"));
            c.next();

            JsonNode s = relay.statsJson();
            assertThat(s.path("peersAll").asInt()).isEqualTo(3);
            assertThat(s.path("peersSeederOnly").asInt()).isEqualTo(1);
            assertThat(s.path("peersLeecherOnly").asInt()).isEqualTo(1);
            assertThat(s.path("peersSeederAndLeecher").asInt()).isEqualTo(1);
            assertThat(s.path("peersIPv4").asInt()).isEqualTo(3);
            assertThat(s.path("peersIPv6").asInt()).isZero();
            assertThat(s.path("clients").path("WebTorrent").path("2.8").asInt()).as("counted once").isEqualTo(1);
            assertThat(s.path("peers").asInt()).as("entries, one per peer and torrent").isEqualTo(4);
            assertThat(s.path("seeders").asInt()).isEqualTo(2);
            assertThat(s.path("leechers").asInt()).isEqualTo(2);
            // The reference's names come first, as its own JSON has them.
            assertThat(s.fieldNames().next()).isEqualTo("torrents");
        }
    }

    @Test
    void statsPageAnswersJsonWhenAskedForJson() throws Exception {
        try (RelayFixture relay = new RelayFixture()) {
            for (String path : new String[] {"/stats", "/"}) {
                HttpResponse<String> r = RelayFixture.HTTP.send(HttpRequest.newBuilder(URI.create(relay.http(path)))
                        .header("Accept", "application/json").build(), HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).isEqualTo(200);
                assertThat(r.headers().firstValue("content-type")).hasValue("application/json");
                assertThat(WsClient.JSON.readTree(r.body()).has("peersSeederOnly")).isTrue();
            }
            // A browser's Accept list still gets the page.
            HttpResponse<String> page = RelayFixture.HTTP.send(HttpRequest.newBuilder(URI.create(relay.http("/stats")))
                    .header("Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,application/json;q=0.8")
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(page.headers().firstValue("content-type").orElse("")).startsWith("text/html");
        }
    }

    @Test
    void unknownPathsAre404AndWritesAre405() throws Exception {
        try (RelayFixture relay = new RelayFixture()) {
            assertThat(relay.get("/nope").statusCode()).isEqualTo(404);
            HttpResponse<String> post = RelayFixture.HTTP.send(HttpRequest.newBuilder(URI.create(relay.http("/stats.json")))
                    .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(post.statusCode()).isEqualTo(405);
        }
    }
}

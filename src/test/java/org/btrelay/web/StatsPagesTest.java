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
    void unknownPathsAre404AndWritesAre405() throws Exception {
        try (RelayFixture relay = new RelayFixture()) {
            assertThat(relay.get("/nope").statusCode()).isEqualTo(404);
            HttpResponse<String> post = RelayFixture.HTTP.send(HttpRequest.newBuilder(URI.create(relay.http("/stats.json")))
                    .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(post.statusCode()).isEqualTo(405);
        }
    }
}

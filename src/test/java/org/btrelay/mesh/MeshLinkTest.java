package org.btrelay.mesh;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.btrelay.app.RelayNode;
import org.btrelay.lab.LabNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Relays linked directly (--peer), over real sockets on loopback: health, failure, gossip, swarms. */
class MeshLinkTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    static JsonNode get(String url) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.headers().firstValue("access-control-allow-origin")).hasValue("*");
        return JSON.readTree(r.body());
    }

    static String state(RelayNode at, String id) {
        return at.mesh().relays().stream().filter(v -> v.id().equals(id)).map(RelayView::state).findFirst().orElse(null);
    }

    @Test
    void linkedRelaysShareHealthAndListEachOther() throws Exception {
        try (LabNetwork lab = LabNetwork.start(3, false, LabNetwork.FAST, dir)) {
            RelayNode a = lab.relay(0);
            Await.until(Duration.ofSeconds(10), "all linked", () -> {
                for (int i = 0; i < 3; i++) {
                    RelayNode n = lab.relay(i);
                    long linked = n.mesh().relays().stream().filter(v -> !v.self() && v.state().equals("linked")).count();
                    if (linked < 2) {
                        return false;
                    }
                }
                return true;
            });
            // Relays 2 and 3 only knew relay 1: they met through gossip.

            JsonNode list = get(lab.httpUrl(0) + "api/relays?swarm=bittorrent-relay");
            assertThat(list.path("swarm").asText()).isEqualTo("bittorrent-relay");
            assertThat(list.path("relays")).hasSize(3);
            JsonNode first = list.path("relays").get(0);
            assertThat(first.path("self").asBoolean()).isTrue();
            assertThat(first.path("id").asText()).isEqualTo(a.id());
            for (JsonNode r : list.path("relays")) {
                assertThat(r.path("state").asText()).isEqualTo("linked");
                assertThat(r.path("trackers").get(0).asText()).matches("ws://127\\.0\\.0\\.\\d+:\\d+/announce");
                assertThat(r.path("name").asText()).startsWith("lab relay");
            }
            Await.until(Duration.ofSeconds(5), "health and rtt of relay 2 at relay 1", () -> {
                RelayView v = a.mesh().relays().stream().filter(x -> x.id().equals(lab.relay(1).id())).findFirst().orElseThrow();
                return v.health() != null && v.rttMs() != null;
            });

            // Health that changes on relay 2 shows up at relay 1.
            try (org.btrelay.web.TestPeers peers = org.btrelay.web.TestPeers.announce(lab.relay(1).wsUrl(), 7)) {
                Await.until(Duration.ofSeconds(5), "peers of relay 2 seen at relay 1", () ->
                        a.mesh().relays().stream().anyMatch(v -> v.id().equals(lab.relay(1).id())
                                && v.health() != null && v.health().peers() == 7));
            }
            assertThat(a.mesh().history(lab.relay(1).id())).isNotEmpty();

            JsonNode node = get(lab.httpUrl(0) + "api/node");
            assertThat(node.path("record").path("id").asText()).isEqualTo(a.id());
            assertThat(node.path("record").path("signature").asText()).isNotBlank();
            assertThat(node.path("health").path("capacity").asText()).isEqualTo("ok");
        }
    }

    @Test
    void gossipTeachesARelayAboutOneItNeverFoundItself() throws Exception {
        try (LabNetwork lab = LabNetwork.start(3, false, LabNetwork.FAST, dir)) {
            // Relays 2 and 3 were told only of relay 1 (--peer), and there is no DHT.
            String relay1 = lab.httpUrl(0).replaceAll("/$", "");
            assertThat(lab.relay(1).settings().peers()).containsExactly(relay1);
            assertThat(lab.relay(2).settings().peers()).containsExactly(relay1);
            String id3 = lab.relay(2).id();
            Await.until(Duration.ofSeconds(30), "relay 2 learns of relay 3 and links to it",
                    () -> "linked".equals(state(lab.relay(1), id3)));
        }
    }

    @Test
    void aStoppedRelayIsMarkedDownAndComesBackLinkedWithTheSameIdentity() throws Exception {
        try (LabNetwork lab = LabNetwork.start(3, false, LabNetwork.FAST, dir)) {
            String id2 = lab.relay(1).id();
            Await.until(Duration.ofSeconds(10), "relay 2 linked at 1 and 3", () ->
                    "linked".equals(state(lab.relay(0), id2)) && "linked".equals(state(lab.relay(2), id2)));

            lab.stopRelay(1);
            Duration down = Await.until(Duration.ofSeconds(15), "relay 2 down everywhere", () ->
                    "down".equals(state(lab.relay(0), id2)) && "down".equals(state(lab.relay(2), id2)));
            System.out.println("relay marked down everywhere after " + down.toMillis() + " ms");

            RelayNode again = lab.startRelay(1);
            assertThat(again.id()).isEqualTo(id2);
            Duration back = Await.until(Duration.ofSeconds(15), "relay 2 linked again", () ->
                    "linked".equals(state(lab.relay(0), id2)) && "linked".equals(state(lab.relay(2), id2)));
            System.out.println("relay linked again after restart in " + back.toMillis() + " ms");
        }
    }

    @Test
    void joiningAndLeavingASwarmAtRuntimeReachesOtherRelays() throws Exception {
        try (LabNetwork lab = LabNetwork.start(2, false, LabNetwork.FAST, dir)) {
            RelayNode a = lab.relay(0);
            RelayNode b = lab.relay(1);
            Await.until(Duration.ofSeconds(10), "linked", () -> "linked".equals(state(a, b.id())));

            b.joinSwarm("video-site");
            Await.until(Duration.ofSeconds(5), "b listed in video-site at a", () -> {
                try {
                    JsonNode l = get(lab.httpUrl(0) + "api/relays?swarm=video-site").path("relays");
                    return l.size() == 1 && l.get(0).path("id").asText().equals(b.id());
                } catch (Exception e) {
                    return false;
                }
            });
            assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> b.joinSwarm("")))
                    .as("a key no relay would accept").isInstanceOf(IllegalArgumentException.class);
            for (int i = 0; b.mesh().selfRecord().swarms().size() < RelayRecord.MAX_SWARMS; i++) {
                b.joinSwarm("extra-" + i);
            }
            assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> b.joinSwarm("one-too-many")))
                    .as("a record over the bound would be refused by every relay").isInstanceOf(IllegalArgumentException.class);
            assertThat(b.mesh().selfRecord().problems(System.currentTimeMillis())).isEmpty();
            b.leaveSwarm("video-site");
            Await.until(Duration.ofSeconds(5), "b gone from video-site at a", () -> {
                try {
                    return get(lab.httpUrl(0) + "api/relays?swarm=video-site").path("relays").isEmpty();
                } catch (Exception e) {
                    return false;
                }
            });
        }
    }

    @Test
    void rendezvousOrderIsTheSameEverywhereForOneTorrent() throws Exception {
        try (LabNetwork lab = LabNetwork.start(3, false, LabNetwork.FAST, dir)) {
            Await.until(Duration.ofSeconds(10), "all linked", () -> lab.relay(2).mesh().relays().stream()
                    .filter(v -> v.state().equals("linked")).count() == 3
                    && lab.relay(0).mesh().relays().stream().filter(v -> v.state().equals("linked")).count() == 3);
            String hash = "0123456789abcdef0123456789abcdef01234567";
            List<String> order0 = ids(get(lab.httpUrl(0) + "api/relays?swarm=bittorrent-relay&info_hash=" + hash));
            List<String> order2 = ids(get(lab.httpUrl(2) + "api/relays?swarm=bittorrent-relay&info_hash=" + hash));
            assertThat(order0).hasSize(3).isEqualTo(order2);
            List<String> expected = new ArrayList<>(order0);
            Rendezvous.order(expected, java.util.HexFormat.of().parseHex(hash), x -> x);
            assertThat(order0).isEqualTo(expected);

            JsonNode bad = get(lab.httpUrl(0) + "api/relays?info_hash=xyz");
            assertThat(bad.path("error").asText()).contains("40 hex");
        }
    }

    @Test
    void identityKeyIsOwnerOnlyAndKnownRelaysArePersisted() throws Exception {
        try (LabNetwork lab = LabNetwork.start(2, false, LabNetwork.FAST, dir)) {
            Await.until(Duration.ofSeconds(10), "linked", () -> "linked".equals(state(lab.relay(0), lab.relay(1).id())));
            Path key = dir.resolve("relay-1").resolve(Identity.FILE_NAME);
            assertThat(Files.getPosixFilePermissions(key))
                    .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
            Path cache = dir.resolve("relay-1").resolve(Mesh.CACHE_FILE);
            Await.until(Duration.ofSeconds(5), "relays.json written", () -> {
                try {
                    return Files.exists(cache) && Files.readString(cache).contains(lab.relay(1).id());
                } catch (Exception e) {
                    return false;
                }
            });
        }
    }

    private static List<String> ids(JsonNode list) {
        List<String> out = new ArrayList<>();
        list.path("relays").forEach(r -> out.add(r.path("id").asText()));
        return out;
    }
}

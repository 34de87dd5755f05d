package org.btrelay.mesh;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.btrelay.lab.LabNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Relays that know nothing of each other find one another through a private DHT on loopback. */
class MeshDiscoveryTest {
    static final int RELAYS = 5;

    @TempDir
    Path dir;

    @Test
    void fiveRelaysDiscoverEachOtherThroughTheDhtAlone() throws Exception {
        long start = System.nanoTime();
        try (LabNetwork lab = LabNetwork.start(RELAYS, true, LabNetwork.FAST, dir)) {
            Set<String> ids = new HashSet<>();
            for (int i = 0; i < RELAYS; i++) {
                ids.add(lab.relay(i).id());
                assertThat(lab.relay(i).settings().peers()).as("no --peer: DHT only").isEmpty();
            }
            Duration took = Await.until(Duration.ofSeconds(30), "every relay lists every other as linked", () -> {
                for (int i = 0; i < RELAYS; i++) {
                    long linked = lab.relay(i).mesh().relays().stream()
                            .filter(v -> ids.contains(v.id()) && v.state().equals("linked")).count();
                    if (linked != RELAYS) {
                        return false;
                    }
                }
                return true;
            });
            System.out.printf("%d relays discovered each other through the DHT in %d ms (%d ms including start)%n",
                    RELAYS, took.toMillis(), (System.nanoTime() - start) / 1_000_000);

            for (int i = 0; i < RELAYS; i++) {
                JsonNode list = MeshLinkTest.get(lab.httpUrl(i) + "api/relays?swarm=bittorrent-relay");
                Set<String> listed = new HashSet<>();
                list.path("relays").forEach(r -> listed.add(r.path("id").asText()));
                assertThat(listed).isEqualTo(ids);
                assertThat(MeshLinkTest.get(lab.httpUrl(i) + "api/node").path("dht").path("running").asBoolean()).isTrue();
            }
        }
    }
}

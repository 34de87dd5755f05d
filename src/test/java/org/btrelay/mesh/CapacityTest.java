package org.btrelay.mesh;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.btrelay.app.RelayNode;
import org.btrelay.app.RelaySettings;
import org.btrelay.health.CapacityThresholds;
import org.btrelay.lab.LabNetwork;
import org.btrelay.web.TestPeers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A full relay sends new browsers elsewhere, keeps its own, and leaves /api/relays until it recovers. */
class CapacityTest {
    @TempDir
    Path dir;

    @Test
    void aFullRelayRefusesNewPeersNamesOthersAndDropsOutOfTheList() throws Exception {
        try (LabNetwork lab = LabNetwork.start(1, false, LabNetwork.FAST, dir)) {
            RelayNode other = lab.relay(0);
            // Full with two connections open: 2 of 100 is above 1.5 %, one is not.
            RelaySettings s = RelaySettings.defaults().withName("small relay").withNetwork("127.0.0.1", 0, false, -1)
                    .withLimits(RelaySettings.defaults().limits())
                    .withMesh(List.of(RelaySettings.DEFAULT_SWARM), List.of(), List.of(lab.httpUrl(0)))
                    .withCapacity(new CapacityThresholds(1, 1, 0.001, 0.015));
            try (RelayNode small = new RelayNode(s.withLimits(limitConnections(s, 100)), dir.resolve("small"),
                    LabNetwork.FAST)) {
                small.start();
                Await.until(Duration.ofSeconds(10), "linked", () -> small.mesh().relays().stream()
                        .anyMatch(v -> v.id().equals(other.id()) && v.state().equals("linked")));

                try (TestPeers first = TestPeers.announce(small.wsUrl(), 1);
                     TestPeers second = TestPeers.idle(small.wsUrl())) {
                    Await.until(Duration.ofSeconds(5), "small relay reports itself full",
                            () -> small.mesh().relays().get(0).full());

                    // The peer it has is still served.
                    assertThat(first.reannounce()).as("existing peer").doesNotContainKey("failure reason");

                    // A new one is sent elsewhere, with the other relay's tracker named.
                    try (TestPeers.Refused refused = TestPeers.announceExpectingFailure(small.wsUrl())) {
                        assertThat(refused.reason()).startsWith("this relay is full")
                                .contains(other.wsUrl() + "announce");
                    }

                    Await.until(Duration.ofSeconds(5), "the other relay drops it from its list", () ->
                            !ids(other).contains(small.id()));
                    assertThat(ids(small)).doesNotContain(small.id()).contains(other.id());
                }
                // Its connections closed: it recovers and is listed again.
                Await.until(Duration.ofSeconds(10), "listed again after recovering", () -> ids(other).contains(small.id()));
            }
        }
    }

    private static org.btrelay.tracker.Limits limitConnections(RelaySettings s, int max) throws Exception {
        var tree = (com.fasterxml.jackson.databind.node.ObjectNode) MeshLinkTest.JSON.valueToTree(s.limits());
        tree.put("maxConnections", max);
        return MeshLinkTest.JSON.treeToValue(tree, org.btrelay.tracker.Limits.class);
    }

    private static Set<String> ids(RelayNode at) {
        try {
            JsonNode list = MeshLinkTest.get(at.httpUrl() + "api/relays?swarm=bittorrent-relay");
            Set<String> out = new HashSet<>();
            list.path("relays").forEach(r -> out.add(r.path("id").asText()));
            return out;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}

package org.btrelay.compat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.btrelay.lab.LabNetwork;
import org.btrelay.mesh.RelayView;
import org.btrelay.mesh.Rendezvous;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The failover helper served at /relay-client.js, run by a JavaScript engine against real relays:
 * it must compute the very order the relays compute (rendezvous hashing), and pick the top trackers.
 */
class RelayClientModuleIT {
    static final String HASH = "c12fe1c06bba254a9dc9f519b335aa7c1367a88a";

    @TempDir
    Path dir;

    @Test
    void theModuleOrdersRelaysExactlyAsTheRelaysDo() throws Exception {
        String node = findNode();
        try (LabNetwork lab = LabNetwork.start(3, false, LabNetwork.FAST, dir)) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            while (lab.relay(0).mesh().relays().stream().filter(v -> v.state().equals("linked")).count() < 3) {
                assertThat(System.nanoTime()).as("relays linked in time").isLessThan(deadline);
                Thread.sleep(50);
            }
            Process p = new ProcessBuilder(node, Path.of("src/test/node/relay-client-check.mjs").toString(),
                    lab.httpUrl(0), HASH, "2").redirectErrorStream(false).start();
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.exitValue()).as("node failed: %s", err).isZero();
            JsonNode result = new ObjectMapper().readTree(out.substring(out.lastIndexOf('\n') + 1));

            List<RelayView> relays = new ArrayList<>(lab.relay(0).mesh().relays());
            Rendezvous.order(relays, HexFormat.of().parseHex(HASH), RelayView::id);
            List<String> expectedOrder = relays.stream().map(RelayView::id).toList();
            List<String> order = new ArrayList<>();
            result.path("order").forEach(n -> order.add(n.asText()));
            assertThat(order).isEqualTo(expectedOrder);

            List<String> announce = new ArrayList<>();
            result.path("announce").forEach(n -> announce.add(n.asText()));
            assertThat(announce).containsExactly(relays.get(0).trackers().get(0), relays.get(1).trackers().get(0));
        }
    }

    /** Node on the PATH; without it the test fails in CI and is skipped elsewhere. */
    static String findNode() {
        for (String dirName : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            Path candidate = Path.of(dirName, "node");
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        String message = "node is not on the PATH: install Node.js 18+ to run the failover helper test";
        if ("true".equals(System.getenv("CI"))) {
            throw new AssertionError(message);
        }
        Assumptions.abort(message);
        return null;
    }
}

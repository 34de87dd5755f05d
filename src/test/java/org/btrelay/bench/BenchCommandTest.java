package org.btrelay.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.btrelay.app.RelayNode;
import org.btrelay.app.RelaySettings;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The load generator against a real relay in this JVM, over loopback. */
class BenchCommandTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void measuresARelayWithoutErrorsAndEndsWithAJsonLine() throws Exception {
        try (RelayNode relay = new RelayNode(settings()).start()) {
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            CommandLine cli = new CommandLine(new BenchCommand());
            cli.setOut(new PrintWriter(out, true));
            cli.setErr(new PrintWriter(err, true));
            // A light, paced load: the point is to check what is counted, not to saturate the box.
            int exit = cli.execute("--url", "ws://127.0.0.1:" + relay.port() + "/announce",
                    "--connections", "40", "--torrents", "4", "--offers", "5", "--rate", "100",
                    "--scrape-share", "0.05", "--duration", "2s", "--warmup", "1s", "--threads", "2");

            assertThat(exit).as(err.toString()).isZero();
            List<String> lines = out.toString().lines().toList();
            assertThat(lines).anyMatch(l -> l.startsWith("responses/s"));
            String report = out + "\n" + err;
            JsonNode result = JSON.readTree(lines.get(lines.size() - 1));
            assertThat(result.get("connected").asInt()).as(report).isEqualTo(40);
            assertThat(result.get("responsesPerSecond").asDouble()).as(report).isPositive();
            assertThat(result.get("announcesPerSecond").asDouble()).as(report).isPositive();
            assertThat(result.get("offersPerSecond").asDouble()).as(report).isPositive();
            assertThat(result.get("answersPerSecond").asDouble()).as(report).isPositive();
            assertThat(result.get("latencyP50Ms").asDouble()).as(report).isPositive();
            assertThat(result.get("latencyP99Ms").asDouble())
                    .isGreaterThanOrEqualTo(result.get("latencyP50Ms").asDouble());
            assertThat(result.get("errors").asLong()).as(report).isZero();
        }
    }

    @Test
    void refusesATargetOutsideLoopback() {
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new BenchCommand());
        cli.setErr(new PrintWriter(err, true));

        int exit = cli.execute("--url", "ws://192.0.2.1:10509/announce", "--duration", "1s");

        assertThat(exit).isEqualTo(BenchCommand.EXIT_USAGE);
        assertThat(err.toString()).contains("not a loopback address");
    }

    @Test
    void readsAddressRangesAndDurations() {
        assertThat(BenchCommand.parseAddresses("127.0.0.2-127.0.0.4,127.0.1.1"))
                .extracting(a -> a.getHostAddress())
                .containsExactly("127.0.0.2", "127.0.0.3", "127.0.0.4", "127.0.1.1");
        BenchCommand.DurationConverter d = new BenchCommand.DurationConverter();
        assertThat(d.convert("500ms").toMillis()).isEqualTo(500);
        assertThat(d.convert("30s").toSeconds()).isEqualTo(30);
        assertThat(d.convert("2m").toSeconds()).isEqualTo(120);
        assertThat(d.convert("1.5").toMillis()).isEqualTo(1500);
    }

    @Test
    void scansTrackerMessagesOfEveryKind() {
        Json.Message m = new Json.Message();
        scan("{\"action\":\"announce\",\"interval\":120,\"complete\":1,\"incomplete\":2,\"info_hash\":\"abc\"}", m);
        assertThat(m.kind).isEqualTo(Json.Kind.ANNOUNCE_REPLY);
        scan("{\"action\":\"announce\",\"offer\":{\"type\":\"offer\",\"sdp\":\"v=0\\r\\n{\\\"x\"},"
                + "\"offer_id\":\"o\\u00ff1\",\"peer_id\":\"p\u00e9\",\"info_hash\":\"h\"}", m);
        assertThat(m.kind).isEqualTo(Json.Kind.OFFER);
        assertThat(m.offerId).isEqualTo("o\u00ff1");
        assertThat(m.peerId).isEqualTo("p\u00e9");
        assertThat(m.infoHash).isEqualTo("h");
        scan("{\"action\":\"announce\",\"answer\":{\"type\":\"answer\",\"sdp\":\"x\"},\"offer_id\":\"o\",\"peer_id\":\"p\"}", m);
        assertThat(m.kind).isEqualTo(Json.Kind.ANSWER);
        scan("{\"action\":\"scrape\",\"files\":{\"h\":{\"complete\":1}},\"flags\":{\"min_request_interval\":120}}", m);
        assertThat(m.kind).isEqualTo(Json.Kind.SCRAPE_REPLY);
        scan("{\"failure reason\":\"invalid info_hash\"}", m);
        assertThat(m.kind).isEqualTo(Json.Kind.FAILURE);
        assertThat(m.failure).isEqualTo("invalid info_hash");
        scan("{\"action\":", m);
        assertThat(m.kind).isEqualTo(Json.Kind.MALFORMED);
    }

    @Test
    void writesAnnouncesThatAreValidJsonWithUniqueOfferIds() throws Exception {
        BenchCommand command = new BenchCommand();
        new CommandLine(command).parseArgs("--offers", "3", "--sdp-bytes", "500");
        BenchConfig config = command.config();
        Traffic traffic = new Traffic(config, 1);
        Peer peer = new Peer(7, Traffic.id("-WW0208-", 7), new String[] {Traffic.id("h", 1)}, true, "offer007");

        JsonNode a = JSON.readTree(traffic.announce(peer, 0, "started").toString());
        JsonNode b = JSON.readTree(traffic.announce(peer, 0, null).toString());

        assertThat(a.get("peer_id").asText()).hasSize(20);
        assertThat(a.get("left").asLong()).isZero();
        assertThat(a.get("offers")).hasSize(3);
        assertThat(a.get("offers").get(0).get("offer").get("sdp").asText()).hasSize(500).startsWith("v=0\r\n");
        assertThat(a.get("offers").get(0).get("offer_id").asText()).hasSize(20)
                .isNotEqualTo(b.get("offers").get(0).get("offer_id").asText());
        assertThat(b.has("event")).isFalse();
    }

    private static void scan(String json, Json.Message m) {
        byte[] b = json.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        Json.scan(b, 0, b.length, m);
    }

    /**
     * Loopback, no DHT, limits raised for a load test, and capacity thresholds of 1 (never "full"):
     * a relay that calls itself full when the machine is busy would refuse the load it measures.
     */
    private static RelaySettings settings() throws Exception {
        RelaySettings d = RelaySettings.defaults().withName("bench test").withNetwork("127.0.0.1", 0, false, -1);
        ObjectNode tree = JSON.valueToTree(d);
        ObjectNode limits = (ObjectNode) tree.get("limits");
        limits.put("maxConnectionsPerIp", 100_000);
        limits.put("messagesPerSecond", 100_000);
        limits.put("messageBurst", 100_000);
        if (tree.get("capacity") instanceof ObjectNode capacity) {
            capacity.fieldNames().forEachRemaining(name -> capacity.put(name, 1.0));
        }
        return JSON.treeToValue(tree, RelaySettings.class);
    }
}

package org.btrelay.dht;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.BindException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real DHT nodes over UDP on 127.0.0.x, with a private DHT (no public routers). */
class DhtNodeTest {
    private static final String SWARM = "lab-swarm";

    @TempDir
    Path dir;

    private final List<DhtNode> nodes = new ArrayList<>();

    @BeforeAll
    static void patchMldhtForLoopback() {
        LoopbackDht.install();
    }

    @AfterEach
    void closeNodes() {
        nodes.forEach(DhtNode::close);
    }

    private DhtNode node(int lastByte, int port) {
        DhtConfig config = DhtConfig.privateNode(LoopbackDht.address(lastByte), port, dir.resolve("node-" + lastByte));
        DhtNode node = new DhtNode(config, DhtTiming.FAST);
        nodes.add(node);
        return node;
    }

    /** Peers each node's listener was told about, by node index. */
    private static Map<Integer, Set<InetSocketAddress>> recordFinds(List<DhtNode> lab, String swarm) {
        Map<Integer, Set<InetSocketAddress>> found = new ConcurrentHashMap<>();
        for (int i = 0; i < lab.size(); i++) {
            Set<InetSocketAddress> mine = ConcurrentHashMap.newKeySet();
            found.put(i, mine);
            lab.get(i).onPeerFound((key, address) -> {
                if (key.equals(swarm)) {
                    mine.add(address);
                }
            });
        }
        return found;
    }

    private static boolean await(Duration limit, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(20);
        }
        return condition.getAsBoolean();
    }

    @Test
    void sixRelaysOnAPrivateDhtFindEachOtherThroughTheSwarmTarget() throws Exception {
        long t0 = System.nanoTime();
        List<DhtNode> lab = new ArrayList<>();
        Set<InetSocketAddress> announced = new HashSet<>();
        for (int i = 0; i < 6; i++) {
            // Bootstrap one way only, from the first node, as --bootstrap HOST:PORT does.
            List<InetSocketAddress> seed = i == 0 ? List.of() : List.of(lab.get(0).localAddress());
            DhtConfig config = new DhtConfig(LoopbackDht.address(2 + i), 0, seed, false, dir.resolve("lab-" + i));
            DhtNode n = new DhtNode(config, DhtTiming.FAST);
            nodes.add(n);
            n.start();
            lab.add(n);
            announced.add(new InetSocketAddress(LoopbackDht.address(2 + i), 21000 + i));
        }
        long started = System.nanoTime();
        Map<Integer, Set<InetSocketAddress>> found = recordFinds(lab, SWARM);
        for (int i = 0; i < lab.size(); i++) {
            lab.get(i).join(SWARM, 21000 + i);
        }

        boolean all = await(Duration.ofSeconds(20), () -> {
            for (int i = 0; i < lab.size(); i++) {
                if (!found.get(i).containsAll(others(announced, i))) {
                    return false;
                }
            }
            return true;
        });
        long done = System.nanoTime();
        System.out.printf("DHT lab: 6 nodes started in %d ms, all found each other %d ms after join%n",
                (started - t0) / 1_000_000, (done - started) / 1_000_000);

        assertThat(all).as("every node found the other five: %s", found).isTrue();
        for (int i = 0; i < lab.size(); i++) {
            assertThat(found.get(i)).as("node %d never reports itself", i)
                    .doesNotContain(new InetSocketAddress(LoopbackDht.address(2 + i), 21000 + i));
            DhtStatus status = lab.get(i).status();
            assertThat(status.running()).isTrue();
            assertThat(status.routingTableSize()).isPositive();
            assertThat(status.swarmCount()).isEqualTo(1);
            assertThat(status.localAddress().getAddress()).isEqualTo(LoopbackDht.address(2 + i));
        }
    }

    private static Set<InetSocketAddress> others(Set<InetSocketAddress> all, int i) {
        Set<InetSocketAddress> rest = new HashSet<>(all);
        rest.removeIf(a -> a.getPort() == 21000 + i);
        return rest;
    }

    @Test
    void aNodeThatLeftGetsNoMoreResultsAndCanRejoin() throws Exception {
        List<DhtNode> lab = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            DhtNode n = node(11 + i, 0);
            n.start();
            lab.add(n);
        }
        Map<Integer, Set<InetSocketAddress>> found = recordFinds(lab, SWARM);
        DhtNode.link(lab.get(0), lab.get(1));
        DhtNode.link(lab.get(0), lab.get(2));
        for (int i = 0; i < 3; i++) {
            lab.get(i).join(SWARM, 22000 + i);
        }
        assertThat(await(Duration.ofSeconds(10), () -> found.values().stream().allMatch(s -> s.size() == 2)))
                .as("all found: %s", found).isTrue();

        DhtNode leaver = lab.get(2);
        leaver.leave(SWARM);
        assertThat(leaver.swarms()).isEmpty();
        assertThat(leaver.status().swarmCount()).isZero();
        found.get(2).clear();
        found.get(0).clear();
        // Several fast lookup rounds (500 ms each) pass; the others keep finding, the leaver hears nothing.
        assertThat(await(Duration.ofSeconds(3), () -> !found.get(0).isEmpty())).isTrue();
        Thread.sleep(DhtTiming.FAST.fastLookupInterval().multipliedBy(3).toMillis());
        assertThat(found.get(2)).isEmpty();

        leaver.join(SWARM, 22002);
        assertThat(leaver.swarms()).containsExactly(SWARM);
        assertThat(await(Duration.ofSeconds(5), () -> found.get(2).size() == 2)).as("rejoined: %s", found.get(2)).isTrue();
    }

    @Test
    void aNodeRestartedWithItsStorageRejoinsTheDht() throws Exception {
        // Three nodes: a node does not store its own announce, so in a DHT of two a restarted node
        // would find the other only after that one's next announce.
        List<DhtNode> lab = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            List<InetSocketAddress> seed = i == 0 ? List.of() : List.of(lab.get(0).localAddress());
            DhtNode n = new DhtNode(new DhtConfig(LoopbackDht.address(16 + i), 0, seed, false, dir.resolve("r" + i)), DhtTiming.FAST);
            nodes.add(n);
            n.start();
            lab.add(n);
        }
        Map<Integer, Set<InetSocketAddress>> found = recordFinds(lab, SWARM);
        for (int i = 0; i < 3; i++) {
            lab.get(i).join(SWARM, 24000 + i);
        }
        assertThat(await(Duration.ofSeconds(10), () -> found.values().stream().allMatch(f -> f.size() == 2)))
                .as("all found: %s", found).isTrue();
        DhtNode first = lab.get(2);
        int port = first.localAddress().getPort();
        first.close();

        // Same address, port and storage: same node id and the cached routing table, no bootstrap node.
        DhtConfig again = new DhtConfig(LoopbackDht.address(18), port, List.of(), false, dir.resolve("r2"));
        DhtNode second = new DhtNode(again, DhtTiming.FAST);
        nodes.add(second);
        Set<InetSocketAddress> foundAgain = ConcurrentHashMap.newKeySet();
        second.onPeerFound((key, address) -> foundAgain.add(address));
        long t0 = System.nanoTime();
        second.start();
        second.join(SWARM, 24002);
        assertThat(await(Duration.ofSeconds(5), () -> foundAgain.size() == 2))
                .as("found through the cached routing table alone: %s", foundAgain).isTrue();
        System.out.printf("DHT restart: found the others again %d ms after start%n", (System.nanoTime() - t0) / 1_000_000);
    }

    @Test
    void joinIsIdempotentAndMayComeBeforeStart() throws Exception {
        DhtNode n = node(15, 0);
        n.join(SWARM, 23000);
        n.join(SWARM, 23000);
        n.join("other", 23000);
        assertThat(n.swarms()).containsExactlyInAnyOrder(SWARM, "other");
        assertThat(n.status().running()).isFalse();
        n.start();
        assertThat(n.status().running()).isTrue();
        assertThat(n.status().swarmCount()).isEqualTo(2);
        n.leave("other");
        n.leave("never joined");
        assertThat(n.swarms()).containsExactly(SWARM);
        assertThatThrownBy(() -> n.join("", 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> n.join(SWARM, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void swarmTargetIsSha1OfTheUtf8Key() throws Exception {
        for (String key : List.of("bittorrent-relay", "lab-swarm", "schwärm ✓")) {
            byte[] expected = MessageDigest.getInstance("SHA-1").digest(key.getBytes(StandardCharsets.UTF_8));
            assertThat(DhtNode.swarmTarget(key)).hasSize(20).isEqualTo(expected);
        }
        assertThat(DhtNode.swarmTarget("bittorrent-relay"))
                .as("pinned: printf bittorrent-relay | sha1sum")
                .isEqualTo(HexFormat.of().parseHex("938936aa2489834e1ec734729c529541f9a13902"));
    }

    @Test
    void aBusyPortIsAClearBindError() throws Exception {
        InetAddress address = LoopbackDht.address(30);
        try (DatagramSocket squatter = new DatagramSocket(new InetSocketAddress(address, 0))) {
            int port = squatter.getLocalPort();
            DhtNode n = node(30, port);
            assertThatThrownBy(n::start)
                    .isInstanceOf(BindException.class)
                    .hasMessageContaining("127.0.0.30:" + port)
                    .hasMessageContaining("in use");
            assertThat(n.status().running()).isFalse();
            assertThat(n.localAddress()).isNull();
        }
    }

    @Test
    void anAddressThatIsNotLocalIsAClearBindError() throws Exception {
        // TEST-NET-3, reserved for documentation. Only a bind is tried: nothing is sent to it.
        InetAddress foreign = InetAddress.getByAddress(new byte[] {(byte) 203, 0, 113, 1});
        assumeTrue(NetworkInterface.getByInetAddress(foreign) == null, "203.0.113.1 is local here");
        DhtNode n = new DhtNode(DhtConfig.privateNode(foreign, 0, dir.resolve("foreign")), DhtTiming.FAST);
        nodes.add(n);
        assertThatThrownBy(n::start)
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith("DHT cannot bind UDP 203.0.113.1:0: ");
    }

    @Test
    void anIpv6AddressIsAClearBindError() throws Exception {
        DhtNode n = new DhtNode(DhtConfig.privateNode(InetAddress.getByName("::1"), 0, dir.resolve("v6")), DhtTiming.FAST);
        nodes.add(n);
        assertThatThrownBy(n::start)
                .isInstanceOf(BindException.class)
                .hasMessage("DHT cannot bind UDP [0:0:0:0:0:0:0:1]:0: the DHT runs on IPv4 only; give an IPv4 address or none");
    }

    @Test
    void closeReleasesTheUdpPort() throws Exception {
        DhtNode first = node(31, 0);
        first.start();
        int port = first.localAddress().getPort();
        assertThat(first.localAddress()).isEqualTo(new InetSocketAddress(LoopbackDht.address(31), port));

        first.close();
        first.close(); // idempotent
        assertThat(first.status().running()).isFalse();
        try (DatagramSocket plain = new DatagramSocket(null)) {
            plain.setReuseAddress(false);
            plain.bind(new InetSocketAddress(LoopbackDht.address(31), port));
        }
        DhtNode second = node(31, port);
        second.start();
        assertThat(second.localAddress().getPort()).isEqualTo(port);
        assertThatThrownBy(first::start).isInstanceOf(IllegalStateException.class);
    }
}

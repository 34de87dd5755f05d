package org.btrelay.mesh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.annotation.JsonTypeName;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Capabilities over real links on loopback: relays with and without a message family link and
 * use it only where both have it; the extension seams (handlers, link listeners, send by id,
 * the remote address) work from outside the mesh's own pieces.
 */
class MeshCapabilitiesTest {
    static final String ECHO = "test-echo";

    @JsonTypeName("test-echo")
    record Echo(String text, boolean reply) implements LinkMessage {}

    /** A mesh that answers every echo once and notes what it got and which links came and went. */
    static final class EchoRelay {
        final List<String> received = new CopyOnWriteArrayList<>();
        final List<String> events = new CopyOnWriteArrayList<>();
        final List<Boolean> onMeshThread = new CopyOnWriteArrayList<>();
        final MeshHost host;

        EchoRelay(String name) {
            host = new MeshHost(name, mesh -> {
                mesh.handle(Echo.class, ECHO, (from, m) -> {
                    received.add(from.relayId() + ":" + m.text());
                    onMeshThread.add(mesh.onMeshThread());
                    if (!m.reply()) {
                        from.send(new Echo("re " + m.text(), true));
                    }
                });
                mesh.onLink(new LinkListener() {
                    @Override
                    public void up(Link link) {
                        events.add("up " + link.relayId() + " " + link.has(ECHO) + " " + (link.remoteAddress() != null));
                    }

                    @Override
                    public void down(Link link) {
                        events.add("down " + link.relayId());
                    }
                });
            });
        }
    }

    static MeshHost plain(String name) {
        return new MeshHost(name, mesh -> { });
    }

    static <T> T onMesh(Mesh mesh, java.util.function.Supplier<T> what) throws Exception {
        CompletableFuture<T> f = new CompletableFuture<>();
        mesh.execute(() -> f.complete(what.get()));
        return f.get(5, TimeUnit.SECONDS);
    }

    @Test
    void aRelayWithAnExtraCapabilityLinksWithOneWithoutAndUsesItOnlyWhereBothHaveIt() throws Exception {
        EchoRelay a = new EchoRelay("a");
        EchoRelay c = new EchoRelay("c");
        try (MeshHost ah = a.host; MeshHost b = plain("b"); MeshHost ch = c.host) {
            assertThat(ah.mesh.capabilities()).containsExactlyInAnyOrder("health", "gossip", ECHO);
            assertThat(b.mesh.capabilities()).containsExactlyInAnyOrder("health", "gossip");
            ah.mesh.addPeer(b.httpUrl());
            ah.mesh.addPeer(ch.httpUrl());
            Await.until(Duration.ofSeconds(15), "a linked with b and c, each way",
                    () -> ah.linkedTo(b) && b.linkedTo(ah) && ah.linkedTo(ch) && ch.linkedTo(ah));
            Await.until(Duration.ofSeconds(10), "health from b at a", () -> ah.mesh.relays().stream()
                    .anyMatch(v -> v.id().equals(b.mesh.id()) && v.health() != null));

            assertThat(onMesh(ah.mesh, () -> ah.mesh.link(b.mesh.id()).capabilities()))
                    .containsExactlyInAnyOrder("health", "gossip");
            assertThat(onMesh(ah.mesh, () -> ah.mesh.link(ch.mesh.id()).has(ECHO))).isTrue();
            assertThat(onMesh(ah.mesh, () -> ah.mesh.link(b.mesh.id()).send(new Echo("to b", false))))
                    .as("not sent where the capability is not shared").isFalse();
            ah.mesh.send(b.mesh.id(), new Echo("to b again", false));

            ah.mesh.send(ch.mesh.id(), new Echo("hello c", false));
            Await.until(Duration.ofSeconds(5), "c got the echo and a the reply",
                    () -> c.received.contains(ah.mesh.id() + ":hello c") && a.received.contains(ch.mesh.id() + ":re hello c"));
            assertThat(a.onMeshThread).containsOnly(true);
            assertThat(c.onMeshThread).containsOnly(true);
            assertThat(a.received).as("nothing from b").allMatch(r -> r.startsWith(ch.mesh.id()));

            Thread.sleep(300);
            assertThat(b.linkedTo(ah)).as("b never saw a message it does not know").isTrue();
            assertThat(b.mesh.ignoredMessages()).isZero();
            assertThat(a.events).contains("up " + b.mesh.id() + " false true", "up " + ch.mesh.id() + " true true");
        }
    }

    @Test
    void linkListenersHearOfEveryLinkUpAndDownInPairs() throws Exception {
        EchoRelay a = new EchoRelay("a");
        try (MeshHost ah = a.host) {
            MeshHost b = plain("b");
            String bId = b.mesh.id();
            try (b) {
                b.mesh.addPeer(ah.httpUrl());
                Await.until(Duration.ofSeconds(15), "linked", () -> ah.linkedTo(b));
                String remote = onMesh(ah.mesh, () -> ah.mesh.link(bId).remoteAddress().getAddress().getHostAddress());
                assertThat(remote).as("an accepted link sees where it came from").isEqualTo("127.0.0.1");
                assertThat(onMesh(ah.mesh, () -> ah.mesh.link(bId).outbound())).isFalse();
            }
            Await.until(Duration.ofSeconds(10), "down", () -> a.events.contains("down " + bId));
            assertThat(a.events).containsExactly("up " + bId + " false true", "down " + bId);
            assertThat(onMesh(ah.mesh, () -> ah.mesh.link(bId))).isNull();
        }
    }

    @Test
    void aRelayFromBeforeCapabilitiesLinksWithTheVersionOneSet() throws Exception {
        try (MeshHost a = plain("a")) {
            Identity me = Identity.ephemeral();
            // RawLink speaks as relays did before capabilities: its hello has none.
            try (RawLink raw = RawLink.handshake(a.wsUrl(), me)) {
                Await.until(Duration.ofSeconds(5), "listed", () -> a.mesh.relays().stream()
                        .anyMatch(v -> v.id().equals(me.id()) && v.relayState() == RelayState.LINKED));
                Set<String> caps = onMesh(a.mesh, () -> a.mesh.link(me.id()).capabilities());
                assertThat(caps).isEqualTo(Capabilities.V1);
                assertThat(raw.next("records").path("records")).as("gossip, a v1 capability, flows").isNotEmpty();
            }
        }
    }

    @Test
    void messagesOfUnknownTypesOrCapabilitiesNotSharedAreIgnoredAndCounted() throws Exception {
        EchoRelay a = new EchoRelay("a");
        try (MeshHost ah = a.host) {
            Identity me = Identity.ephemeral();
            try (RawLink raw = new RawLink(ah.wsUrl())) {
                LinkMessage.Hello v1 = RawLink.hello(me, RawLink.nonce());
                // A relay that has health only: no gossip, no echo.
                raw.send(new LinkMessage.Hello(1, v1.record(), v1.nonce(), List.of("health", "something-new")));
                JsonNode theirs = raw.next("hello");
                assertThat(theirs.path("capabilities")).extracting(JsonNode::asText)
                        .containsExactlyInAnyOrder("health", "gossip", ECHO);
                raw.next("proof");
                raw.send(RawLink.proof(me, theirs));
                raw.next("health");

                raw.sendText("{\"type\":\"something-new\",\"payload\":{\"x\":1}}");
                raw.send(new Echo("not announced", false));
                raw.send(new LinkMessage.Gossip(List.of()));
                Await.until(Duration.ofSeconds(5), "three ignored", () -> ah.mesh.ignoredMessages() == 3);
                assertThat(a.received).isEmpty();
                assertThat(onMesh(ah.mesh, () -> ah.mesh.link(me.id()).capabilities())).containsExactly("health");
                raw.send(new LinkMessage.Ping(7));
                assertThat(raw.next("pong").path("n").asLong()).as("still linked").isEqualTo(7);

                raw.sendText("{\"type\":\"test-echo\",\"text\":5}");
                assertThat(raw.awaitClose()).as("a known type that does not read is still an error")
                        .isEqualTo(LinkCloseCodes.BAD_MESSAGE);
            }
            try (RawLink raw = new RawLink(ah.wsUrl())) {
                raw.sendText("{\"type\":\"something-new\"}");
                assertThat(raw.awaitClose()).as("before the handshake").isEqualTo(LinkCloseCodes.AUTH_FAILED);
            }
            try (RawLink raw = new RawLink(ah.wsUrl())) {
                LinkMessage.Hello v1 = RawLink.hello(Identity.ephemeral(), RawLink.nonce());
                raw.send(new LinkMessage.Hello(1, v1.record(), v1.nonce(), List.of("Not A Name")));
                assertThat(raw.awaitClose()).isEqualTo(LinkCloseCodes.BAD_MESSAGE);
            }
        }
    }

    @Test
    void theMeshStateIsForTheMeshThreadAndTypesAreRegisteredBeforeStart() throws Exception {
        try (MeshHost a = plain("a")) {
            assertThatThrownBy(() -> a.mesh.link("x")).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(() -> a.mesh.links()).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(() -> a.mesh.handle(Echo.class, ECHO, (l, m) -> { }))
                    .isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(() -> a.mesh.send("x", new Echo("unregistered", false)))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThat(onMesh(a.mesh, () -> a.mesh.links())).isEmpty();
        }
    }
}

package org.btrelay.mesh;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.btrelay.app.RelayNode;
import org.btrelay.health.Capacity;
import org.btrelay.health.Health;
import org.btrelay.lab.LabNetwork;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Links that lie, replay, flood or send garbage are closed; the relay's other links carry on. */
class MeshSecurityTest {
    @TempDir
    Path dir;
    LabNetwork lab;
    RelayNode relay;

    @BeforeEach
    void start() throws Exception {
        lab = LabNetwork.start(2, false, LabNetwork.FAST, dir);
        relay = lab.relay(0);
        Await.until(Duration.ofSeconds(10), "the honest link", this::honestLinkUp);
    }

    @AfterEach
    void stop() {
        lab.close();
    }

    boolean honestLinkUp() {
        return relay.mesh().relays().stream().anyMatch(v -> v.id().equals(lab.relay(1).id()) && v.state().equals("linked"));
    }

    void assertHonestLinkSurvives() throws Exception {
        Thread.sleep(300);
        assertThat(honestLinkUp()).as("the honest link is untouched").isTrue();
    }

    @Test
    void aCorrectHandshakeLinks() throws Exception {
        Identity me = Identity.ephemeral();
        try (RawLink l = RawLink.handshake(relay.wsUrl(), me)) {
            Await.until(Duration.ofSeconds(3), "raw relay listed", () ->
                    relay.mesh().relays().stream().anyMatch(v -> v.id().equals(me.id()) && v.state().equals("linked")));
        }
    }

    @Test
    void aForgedHelloIsRejected() throws Exception {
        Identity me = Identity.ephemeral();
        Identity other = Identity.ephemeral();
        LinkMessage.Hello real = RawLink.hello(me, RawLink.nonce());
        // Claims another relay's id with my key.
        RelayRecord forged = new RelayRecord(other.id(), me.publicKey(), "forged", "x", null, List.of(),
                List.of("bittorrent-relay"), real.record().timestamp(), real.record().signature());
        try (RawLink l = new RawLink(relay.wsUrl())) {
            l.send(new LinkMessage.Hello(LinkMessage.VERSION, forged, RawLink.nonce()));
            assertThat(l.awaitClose()).isEqualTo(LinkCloseCodes.AUTH_FAILED);
        }
        // A record whose content was changed after signing.
        RelayRecord tampered = new RelayRecord(me.id(), me.publicKey(), "renamed", real.record().software(), null,
                List.of(), real.record().swarms(), real.record().timestamp(), real.record().signature());
        try (RawLink l = new RawLink(relay.wsUrl())) {
            l.send(new LinkMessage.Hello(LinkMessage.VERSION, tampered, RawLink.nonce()));
            assertThat(l.awaitClose()).isEqualTo(LinkCloseCodes.AUTH_FAILED);
        }
        assertHonestLinkSurvives();
    }

    @Test
    void aReplayedHandshakeIsRejected() throws Exception {
        Identity me = Identity.ephemeral();
        LinkMessage.Hello hello = RawLink.hello(me, RawLink.nonce());
        LinkMessage.Proof recordedProof;
        try (RawLink first = new RawLink(relay.wsUrl())) {
            first.send(hello);
            JsonNode theirs = first.next("hello");
            recordedProof = RawLink.proof(me, theirs);
            first.send(recordedProof);
            first.next("health");
        }
        // Someone who recorded both messages replays them: the relay's nonce is new, so the proof fails.
        try (RawLink replay = new RawLink(relay.wsUrl())) {
            replay.send(hello);
            replay.next("hello");
            replay.send(recordedProof);
            assertThat(replay.awaitClose()).isEqualTo(LinkCloseCodes.AUTH_FAILED);
        }
        assertHonestLinkSurvives();
    }

    @Test
    void messagesBeforeTheHandshakeAndOtherVersionsAreRejected() throws Exception {
        try (RawLink l = new RawLink(relay.wsUrl())) {
            l.send(new LinkMessage.Ping(1));
            assertThat(l.awaitClose()).isEqualTo(LinkCloseCodes.AUTH_FAILED);
        }
        try (RawLink l = new RawLink(relay.wsUrl())) {
            LinkMessage.Hello h = RawLink.hello(Identity.ephemeral(), RawLink.nonce());
            l.send(new LinkMessage.Hello(2, h.record(), h.nonce()));
            assertThat(l.awaitClose()).isEqualTo(LinkCloseCodes.VERSION);
        }
        try (RawLink l = new RawLink(relay.wsUrl())) {
            l.sendText("GET / HTTP/1.1 - I am not a relay");
            assertThat(l.awaitClose()).isEqualTo(LinkCloseCodes.BAD_MESSAGE);
        }
        assertHonestLinkSurvives();
    }

    @Test
    void malformedOversizeFloodingAndLyingLinksAreClosed() throws Exception {
        try (RawLink l = RawLink.handshake(relay.wsUrl(), Identity.ephemeral())) {
            l.sendText("{\"type\":\"health\",\"health\":");
            assertThat(l.awaitClose()).isEqualTo(LinkCloseCodes.BAD_MESSAGE);
        }
        try (RawLink l = RawLink.handshake(relay.wsUrl(), Identity.ephemeral())) {
            l.sendText("{\"type\":\"ping\",\"n\":1,\"pad\":\"" + "x".repeat(Mesh.MAX_MESSAGE_BYTES) + "\"}");
            assertThat(l.awaitClose()).isEqualTo(LinkCloseCodes.MESSAGE_TOO_BIG);
        }
        try (RawLink l = RawLink.handshake(relay.wsUrl(), Identity.ephemeral())) {
            for (int i = 0; i < 200 && !l.closeCode.isDone(); i++) {
                try {
                    l.send(new LinkMessage.Ping(i));
                } catch (Exception closed) {
                    break;
                }
            }
            assertThat(l.awaitClose()).isEqualTo(LinkCloseCodes.TOO_MANY_MESSAGES);
        }
        try (RawLink l = RawLink.handshake(relay.wsUrl(), Identity.ephemeral())) {
            Health impossible = new Health(5.0, 0.1, 10, 5, 0, 100, -1, 0, 0, 0, 0, 1, Capacity.OK,
                    System.currentTimeMillis());
            l.send(new LinkMessage.HealthReport(impossible));
            assertThat(l.awaitClose()).isEqualTo(LinkCloseCodes.BAD_MESSAGE);
        }
        try (RawLink l = RawLink.handshake(relay.wsUrl(), Identity.ephemeral())) {
            Identity someone = Identity.ephemeral();
            RelayRecord bad = RelayRecord.create(someone, "x", "x", null, List.of(), List.of("s"), 0);
            l.send(new LinkMessage.Gossip(List.of(new LinkMessage.Gossip.Entry(bad, null))));
            assertThat(l.awaitClose()).as("a stale record in gossip").isEqualTo(LinkCloseCodes.BAD_MESSAGE);
        }
        assertHonestLinkSurvives();
    }

    @Test
    void aLinkThatStopsSendingHeartbeatsIsDroppedAndMarkedDown() throws Exception {
        Identity me = Identity.ephemeral();
        try (RawLink l = RawLink.handshake(relay.wsUrl(), me)) {
            l.send(new LinkMessage.HealthReport(new Health(0.1, 0.1, 1, 2, 1, 2, 0, 0, 0, 0, 0, 1, Capacity.OK,
                    System.currentTimeMillis())));
            Await.until(Duration.ofSeconds(3), "linked", () ->
                    relay.mesh().relays().stream().anyMatch(v -> v.id().equals(me.id()) && v.state().equals("linked")));
            // Silence: no more health. FAST timing drops it after 2 s.
            assertThat(l.awaitClose()).isEqualTo(LinkCloseCodes.TIMEOUT);
            Await.until(Duration.ofSeconds(2), "marked down", () -> relay.mesh().relays().stream()
                    .anyMatch(v -> v.id().equals(me.id()) && v.state().equals("down")));
        }
    }
}

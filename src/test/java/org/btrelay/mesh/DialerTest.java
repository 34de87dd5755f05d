package org.btrelay.mesh;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The dialer alone, with a hand-moved clock and a connector that only notes what it is asked. */
class DialerTest {
    static final MeshTiming TIMING = new MeshTiming(Duration.ofSeconds(5), Duration.ofSeconds(5),
            Duration.ofSeconds(30), Duration.ofSeconds(15), Duration.ofSeconds(10), Duration.ofSeconds(2),
            Duration.ofSeconds(60), Duration.ofSeconds(30));

    long now = 1_000_000;
    double jitter = 0.999;
    final List<Dialer.Candidate> dialled = new ArrayList<>();
    final Directory directory = new Directory();
    Dialer dialer = new Dialer(directory, TIMING, () -> now, () -> jitter, dialled::add);

    static URI url(int port) {
        return URI.create("ws://127.0.0.5:" + port + "/relay");
    }

    static Link linkFrom(String dialKey) {
        return new Link(null, true, dialKey, "n", null, null, new TokenBucket(1, 1, 0));
    }

    @Test
    void backoffDoublesFromTheMinimumToTheMaximumWithJitterInTheUpperHalf() {
        jitter = 0;
        assertThat(dialer.backoff(1)).isEqualTo(1000);
        assertThat(dialer.backoff(2)).isEqualTo(2000);
        assertThat(dialer.backoff(3)).isEqualTo(4000);
        assertThat(dialer.backoff(10)).isEqualTo(30_000);
        assertThat(dialer.backoff(1000)).as("no overflow").isEqualTo(30_000);
        jitter = 0.999;
        assertThat(dialer.backoff(1)).isBetween(1990L, 2000L);
        assertThat(dialer.backoff(10)).isBetween(59_900L, 60_000L);
    }

    @Test
    void aFailedAddressIsDialledAgainOnlyAfterItsBackoff() {
        Dialer.Candidate c = dialer.offer(url(1));
        assertThat(dialled).containsExactly(c);
        dialer.offer(url(1));
        assertThat(dialled).as("already in flight").hasSize(1);

        dialer.failed(c, "refused");
        assertThat(c.failures).isEqualTo(1);
        now += 1000;
        dialer.tick();
        dialer.offer(url(1));
        assertThat(dialled).as("backing off").hasSize(1);
        now += 1000;
        dialer.tick();
        assertThat(dialled).hasSize(2);

        dialer.failed(c, "refused");
        now += 2000;
        dialer.tick();
        assertThat(dialled).as("second backoff is longer").hasSize(2);
        now += 2000;
        dialer.tick();
        assertThat(dialled).hasSize(3);
    }

    @Test
    void aHandshakeThatNeverAuthenticatesCountsAsAFailure() {
        Dialer.Candidate c = dialer.offer(url(2));
        dialer.closed(linkFrom(c.key));
        assertThat(c.inFlight).isFalse();
        assertThat(c.failures).isEqualTo(1);
        assertThat(c.nextAttempt).isGreaterThan(now);
    }

    @Test
    void anAddressThatIsThisRelayIsNeverDialledAgain() {
        Dialer.Candidate c = dialer.offer(url(3));
        dialer.reachedSelf(linkFrom(c.key));
        dialer.closed(linkFrom(c.key));
        now += 3_600_000;
        dialer.tick();
        dialer.offer(url(3));
        assertThat(dialled).hasSize(1);
    }

    @Test
    void aLinkedRelayIsNotDialledAndALostOneIsDialledAgainAfterABackoff() {
        Identity a = Identity.ephemeral();
        Directory.Entry e = directory.learn(DirectoryTest.record(a, "a", System.currentTimeMillis(), List.of()),
                "127.0.0.5:4");
        Dialer.Candidate c = dialer.offer(url(4));
        Link link = linkFrom(c.key);
        link.peer = e.record;
        link.authenticated = true;
        dialer.authenticated(link);
        assertThat(c.relayId).isEqualTo(a.id());
        assertThat(c.failures).isZero();
        e.link = link;
        now += 3_600_000;
        dialer.tick();
        dialer.offer(url(4));
        assertThat(dialled).as("linked: not dialled").hasSize(1);

        e.link = null;
        dialer.closed(link);
        dialer.lost(e);
        dialer.tick();
        assertThat(dialled).as("lost: backing off first").hasSize(1);
        now += 2000;
        dialer.tick();
        assertThat(dialled).hasSize(2);
        assertThat(e.state).as("dialling a known relay shows").isEqualTo(RelayState.CONNECTING);
        dialer.failed(c, "refused");
        assertThat(e.state).isEqualTo(RelayState.UNREACHABLE);
        e.everLinked = true;
        now += 3_600_000;
        dialer.tick();
        dialer.failed(c, "refused");
        assertThat(e.state).isEqualTo(RelayState.DOWN);
    }

    @Test
    void theCandidateTableIsBoundedAndClosedMeansNoMoreDialling() {
        dialer = new Dialer(directory, TIMING, () -> now, () -> jitter, dialled::add, 2);
        assertThat(dialer.offer(url(5))).isNotNull();
        assertThat(dialer.offer(url(6))).isNotNull();
        assertThat(dialer.offer(url(7))).isNull();
        assertThat(dialer.size()).isEqualTo(2);
        dialer.close();
        dialer.failed(dialer.get(Dialer.key(url(5))), "x");
        now += 3_600_000;
        dialer.tick();
        assertThat(dialled).hasSize(2);
    }

    @Test
    void relayUrlsBecomeLinkUrls() {
        assertThat(Dialer.linkUrl("http://relay.example:8080/")).hasToString("ws://relay.example:8080/relay");
        assertThat(Dialer.linkUrl("https://relay.example/x")).hasToString("wss://relay.example:443/relay");
        assertThat(Dialer.linkUrl("ws://127.0.0.1:5")).hasToString("ws://127.0.0.1:5/relay");
        assertThat(Dialer.linkUrl("ftp://relay.example/")).isNull();
        assertThat(Dialer.linkUrl("not a url")).isNull();
    }
}

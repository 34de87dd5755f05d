package org.btrelay.jmh;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.btrelay.tracker.AnnounceRequest;
import org.btrelay.tracker.AnnounceResult;
import org.btrelay.tracker.Event;
import org.btrelay.tracker.Id20;
import org.btrelay.tracker.OfferPayload;
import org.btrelay.tracker.PeerChannel;
import org.btrelay.tracker.Session;
import org.btrelay.tracker.Signal;
import org.btrelay.tracker.Tracker;
import org.btrelay.tracker.TrackerConfig;
import org.btrelay.tracker.TrackerRefusal;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The tracker core's announce path: a WebSocket peer of a torrent that already has
 * {@code swarmSize} peers re-announces with {@code offers} offers, which the tracker forwards to
 * as many random other peers (their channels only count what they get: no sockets, no JSON).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class TrackerAnnounceBenchmark {
    @Param({"1000"})
    int swarmSize;

    @Param({"0", "5", "10"})
    int offers;

    private Tracker tracker;
    private Id20 infoHash;
    private final List<Id20> peerIds = new ArrayList<>();
    private final List<Session> sessions = new ArrayList<>();
    private final List<List<OfferPayload>> offerSets = new ArrayList<>();
    private final SplittableRandom random = new SplittableRandom(42);
    private InetAddress address;
    long delivered;

    /** Stands in for a WebSocket: counts the signals handed to it. */
    final class CountingChannel implements PeerChannel {
        @Override
        public void deliver(Signal signal) {
            delivered += signal.sdpJson().length();
        }
    }

    @Setup
    public void fill() throws TrackerRefusal, UnknownHostException {
        tracker = new Tracker(TrackerConfig.defaults());
        infoHash = randomId();
        for (int i = 0; i < swarmSize; i++) {
            // One address per connection keeps every peer within the per-IP connection limit.
            address = InetAddress.getByAddress(new byte[] {10, (byte) (i >> 16), (byte) (i >> 8), (byte) i});
            Session s = tracker.openSession(new CountingChannel(), address);
            Id20 peerId = randomId();
            AnnounceResult r = tracker.announce(new AnnounceRequest(infoHash, peerId, Event.STARTED, 1000, 0, 0, 0,
                    List.of(), s, address, 0));
            if (!r.ok()) {
                throw new IllegalStateException(r.failure());
            }
            sessions.add(s);
            peerIds.add(peerId);
        }
        String sdp = WsCodecBenchmark.sdpObject("offer");
        for (int k = 0; k < 64; k++) {
            List<OfferPayload> set = new ArrayList<>();
            for (int i = 0; i < offers; i++) {
                set.add(new OfferPayload(randomId(), sdp));
            }
            offerSets.add(set);
        }
    }

    private Id20 randomId() {
        byte[] b = new byte[20];
        for (int i = 0; i < 20; i++) {
            b[i] = (byte) random.nextInt(256);
        }
        return Id20.of(b);
    }

    @Benchmark
    public AnnounceResult announce() {
        int i = random.nextInt(swarmSize);
        return tracker.announce(new AnnounceRequest(infoHash, peerIds.get(i), Event.UPDATE, 1000, 0, 0, 0,
                offerSets.get(random.nextInt(offerSets.size())), sessions.get(i), address, 0));
    }
}

package org.btrelay.mesh;

import java.net.URI;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Supplier;

/**
 * The {@code records} messages: a relay tells its linked relays its own record and the relays it
 * knows, and dials the ones it learns of. Mesh thread only.
 */
final class Gossip {
    /** Records per message, the sender's own included. */
    static final int MAX_RECORDS = 50;
    static final int MAX_ADDRESS = 300;

    private final String selfId;
    private final Supplier<RelayRecord> self;
    private final Directory directory;
    private final Dialer dialer;
    private final Link.Closer closer;

    Gossip(String selfId, Supplier<RelayRecord> self, Directory directory, Dialer dialer, Link.Closer closer) {
        this.selfId = selfId;
        this.self = self;
        this.directory = directory;
        this.dialer = dialer;
        this.closer = closer;
    }

    /** Our own record first, then the relays seen most recently (not the receiver's own, not stale). */
    void sendTo(Link to) {
        if (!to.has(Capabilities.GOSSIP)) {
            return;
        }
        List<LinkMessage.Gossip.Entry> out = new ArrayList<>();
        out.add(new LinkMessage.Gossip.Entry(self.get(), null));
        List<Directory.Entry> known = new ArrayList<>(directory.all());
        known.sort(Comparator.comparingLong((Directory.Entry e) -> e.lastSeen).reversed());
        long nowMillis = System.currentTimeMillis();
        for (Directory.Entry e : known) {
            if (out.size() >= MAX_RECORDS) {
                break;
            }
            if (e.record == null || e.record.id().equals(to.relayId())
                    || e.record.timestamp() < nowMillis - RelayRecord.MAX_AGE_MILLIS) {
                continue;
            }
            out.add(new LinkMessage.Gossip.Entry(e.record, e.address));
        }
        to.send(new LinkMessage.Gossip(out));
    }

    void onRecords(Link from, LinkMessage.Gossip g) {
        if (g.records() == null || g.records().size() > MAX_RECORDS) {
            closer.drop(from, LinkCloseCodes.BAD_MESSAGE, "at most " + MAX_RECORDS + " records per message");
            return;
        }
        long nowMillis = System.currentTimeMillis();
        for (LinkMessage.Gossip.Entry ge : g.records()) {
            RelayRecord r = ge == null ? null : ge.record();
            if (r == null || !r.problems(nowMillis).isEmpty()) {
                closer.drop(from, LinkCloseCodes.BAD_MESSAGE, "invalid record in gossip");
                return;
            }
            if (r.id().equals(selfId)) {
                continue;
            }
            String address = ge.address() != null && ge.address().length() <= MAX_ADDRESS ? ge.address() : null;
            Directory.Entry e = directory.learn(r, address);
            if (e != null && e.link == null) {
                URI url = Dialer.dialUrl(e);
                if (url != null) {
                    Dialer.Candidate c = dialer.offer(url);
                    if (c != null) {
                        c.relayId = r.id();
                    }
                }
            }
        }
    }
}

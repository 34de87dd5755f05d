package org.btrelay.dht;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import lbms.plugins.mldht.kad.DHT;
import lbms.plugins.mldht.kad.Node;
import lbms.plugins.mldht.kad.RPCCall;
import lbms.plugins.mldht.kad.RPCCallListener;
import lbms.plugins.mldht.kad.RPCServer;
import lbms.plugins.mldht.kad.messages.MessageBase;
import lbms.plugins.mldht.kad.messages.PingRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Getting into a small DHT and staying in: mldht is made for the public DHT, where nodes are
 * many; in a private one of a few relays it would take minutes. So the bootstrap nodes are pinged
 * until one answers (a bootstrap lookup follows at once) and again while the routing table is
 * empty, and while the table is nearly empty a node that asks us something is pinged back.
 */
final class Bootstrapper {
    private static final Logger log = LoggerFactory.getLogger(Bootstrapper.class);
    /** Ping back requesters while the routing table holds fewer nodes than one full bucket. */
    private static final int PING_BACK_BELOW = 8;
    private static final long PING_BACK_EVERY_NANOS = TimeUnit.SECONDS.toNanos(30);
    private static final int PING_BACK_REMEMBERED = 256;
    private static final long LONELY_WARNING_NANOS = TimeUnit.MINUTES.toNanos(1);

    private final DhtNode node;
    private final boolean publicRouters;
    private final Set<InetSocketAddress> nodes = ConcurrentHashMap.newKeySet();
    private final Map<InetAddress, Long> pingedBack = new ConcurrentHashMap<>();
    private boolean warnedLonely; // scheduler thread only

    Bootstrapper(DhtNode node, boolean publicRouters) {
        this.node = node;
        this.publicRouters = publicRouters;
    }

    /** Returns whether the node is new. */
    boolean add(InetSocketAddress resolved) {
        return nodes.add(resolved);
    }

    Set<InetSocketAddress> nodes() {
        return nodes;
    }

    void ping(InetSocketAddress to) {
        DHT d = node.mldht();
        if (d == null || !d.isRunning()) {
            return;
        }
        RPCServer srv = d.getServerManager().getRandomActiveServer(true);
        if (srv == null) {
            return;
        }
        PingRequest ping = new PingRequest();
        ping.setID(srv.getDerivedID());
        ping.setDestination(to);
        RPCCall call = new RPCCall(ping);
        call.addListener(new RPCCallListener() {
            @Override
            public void onResponse(RPCCall c, MessageBase response) {
                // The answer puts the node in the routing table; a bootstrap lookup fills the rest.
                node.submit(() -> {
                    if (d.isRunning()) {
                        d.bootstrap();
                        d.getTaskManager().dequeue();
                    }
                });
            }
        });
        srv.doCall(call);
    }

    /**
     * While our routing table is nearly empty, a node that asks us something is pinged back: its
     * answer puts it in our table as a verified entry. mldht alone only notes unsolicited nodes as
     * unverified, so a seed that others bootstrap from (one way, {@code --bootstrap}) would not
     * know any of them until its next bucket refresh, minutes later. Called on mldht's receive thread.
     */
    void received(DHT d, MessageBase message) {
        if (message.getType() != MessageBase.Type.REQ_MSG) {
            return;
        }
        Node table = d.getNode();
        InetSocketAddress from = message.getOrigin();
        if (table == null || table.getNumEntriesInRoutingTable() >= PING_BACK_BELOW || from == null
                || lbms.plugins.mldht.kad.utils.AddressUtils.isBogon(from)) {
            return;
        }
        long now = System.nanoTime();
        Long last = pingedBack.get(from.getAddress());
        if (last != null && now - last < PING_BACK_EVERY_NANOS) {
            return;
        }
        if (pingedBack.size() >= PING_BACK_REMEMBERED) {
            pingedBack.clear();
        }
        pingedBack.put(from.getAddress(), now);
        node.submit(() -> ping(from));
    }

    /** Every {@link DhtTiming#bootstrapRetry()}: while nobody is known, ping the bootstrap nodes again. */
    void maintain(long startedNanos) {
        DHT d = node.mldht();
        if (d == null || !d.isRunning()) {
            return;
        }
        if (d.getNode().getNumEntriesInRoutingTable() > 0) {
            return;
        }
        for (InetSocketAddress n : nodes) {
            ping(n);
        }
        if (!warnedLonely && System.nanoTime() - startedNanos > LONELY_WARNING_NANOS) {
            warnedLonely = true;
            log.warn("DHT on UDP {} knows no other node after {} s (public routers {}, bootstrap nodes {}); "
                    + "is UDP blocked?", DhtBinding.describe(node.localAddress()),
                    TimeUnit.NANOSECONDS.toSeconds(LONELY_WARNING_NANOS), publicRouters ? "on" : "off", nodes);
        }
    }
}

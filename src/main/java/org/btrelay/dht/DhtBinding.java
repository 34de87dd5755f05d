package org.btrelay.dht;

import java.io.IOException;
import java.net.BindException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import lbms.plugins.mldht.DHTConfiguration;
import lbms.plugins.mldht.kad.DHT;
import lbms.plugins.mldht.kad.RPCServer;
import lbms.plugins.mldht.kad.utils.AddressUtils;
import org.btrelay.concurrent.DaemonThreads;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starting and stopping mldht's UDP socket so that failures are clear. mldht itself only prints
 * bind errors, and its sockets use SO_REUSEADDR (a second bind "succeeds" on Linux), so the bind
 * is checked here with plain sockets, before mldht starts and on its address after.
 */
final class DhtBinding {
    private static final Logger log = LoggerFactory.getLogger(DhtBinding.class);
    static final long START_WAIT_SECONDS = 10;
    static final long STOP_WAIT_SECONDS = 10;
    static final long PORT_RELEASE_WAIT_MILLIS = 3000;

    private DhtBinding() {}

    /** Binds a plain socket (no SO_REUSEADDR), so a busy port or a foreign address fails here, clearly. */
    static int probeBind(InetAddress bind, int port) throws BindException {
        InetSocketAddress at = bind == null ? new InetSocketAddress(port) : new InetSocketAddress(bind, port);
        try (DatagramSocket probe = new DatagramSocket(null)) {
            probe.setReuseAddress(false);
            probe.bind(at);
            return probe.getLocalPort();
        } catch (SocketException e) {
            BindException failure = new BindException("DHT cannot bind UDP " + describe(bind, port) + ": "
                    + e.getMessage() + (isAddressInUse(e) ? " (another program, or the UDP tracker, uses this port)" : ""));
            failure.initCause(e);
            throw failure;
        }
    }

    static boolean isAddressInUse(SocketException e) {
        String m = e.getMessage();
        return m != null && m.toLowerCase(java.util.Locale.ROOT).contains("in use");
    }

    /** Waits until mldht has run its socket setup on the scheduler, then checks that it holds the port. */
    static RPCServer awaitBound(DHT d, ScheduledThreadPoolExecutor ex, InetAddress bind, int port) throws IOException {
        try {
            // mldht queued the server's bind on the scheduler during start(); this runs after it.
            ex.submit(() -> { }).get(START_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while the DHT started", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IOException("DHT on UDP " + describe(bind, port) + " did not start within "
                    + START_WAIT_SECONDS + " s", e);
        }
        List<RPCServer> servers = d.getServerManager().getAllServers();
        if (servers.isEmpty()) {
            String why = bind == null
                    ? "mldht found no IPv4 address to bind"
                    : "mldht refuses " + bind.getHostAddress() + " (it binds only global unicast addresses; "
                            + "labs on 127.0.0.x need the loopback patch)";
            throw new BindException("DHT cannot bind UDP " + describe(bind, port) + ": " + why);
        }
        RPCServer srv = servers.get(0);
        // A plain socket can bind only if mldht's socket is not there: mldht failed (and printed why).
        try (DatagramSocket probe = new DatagramSocket(null)) {
            probe.setReuseAddress(false);
            probe.bind(new InetSocketAddress(srv.getBindAddress(), srv.getPort()));
        } catch (SocketException expected) {
            return srv;
        }
        throw new BindException("DHT cannot bind UDP " + describe(srv.getBindAddress(), srv.getPort())
                + ": mldht could not open the socket");
    }

    static boolean awaitPortFree(InetSocketAddress address) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(PORT_RELEASE_WAIT_MILLIS);
        while (true) {
            try (DatagramSocket probe = new DatagramSocket(null)) {
                probe.setReuseAddress(false);
                probe.bind(address);
                return true;
            } catch (SocketException busy) {
                if (System.nanoTime() > deadline) {
                    return false;
                }
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
        }
    }

    /** Stops mldht on its own scheduler (so nothing of ours runs at the same time), then the scheduler. */
    static void stopQuietly(DHT d, ScheduledThreadPoolExecutor ex) {
        try {
            ex.submit(d::stop).get(STOP_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RejectedExecutionException | ExecutionException | TimeoutException e) {
            log.warn("DHT did not stop cleanly on its scheduler; stopping it directly", e);
            try {
                d.stop();
            } catch (RuntimeException again) {
                log.warn("DHT stop failed", again);
            }
        } finally {
            ex.shutdownNow();
        }
    }

    static ScheduledThreadPoolExecutor newScheduler(String name) {
        ScheduledThreadPoolExecutor ex = new ScheduledThreadPoolExecutor(1, DaemonThreads.named("dht " + name));
        ex.setRemoveOnCancelPolicy(true);
        ex.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        return ex;
    }

    static String describe(InetAddress address, int port) {
        if (address == null) {
            return "0.0.0.0:" + port;
        }
        String host = address.getHostAddress();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    static String describe(InetSocketAddress address) {
        return address == null ? "-" : describe(address.getAddress(), address.getPort());
    }

    /** mldht's view of our configuration. */
    record Settings(Path storageDir, int port, boolean noRouters, InetAddress bind) implements DHTConfiguration {
        @Override
        public boolean isPersistingID() {
            return true;
        }

        @Override
        public Path getStoragePath() {
            return storageDir;
        }

        @Override
        public int getListeningPort() {
            return port;
        }

        @Override
        public boolean noRouterBootstrap() {
            return noRouters;
        }

        /**
         * mldht binds one socket per address only in multihoming mode, and there only to addresses it
         * counts as global; elsewhere it binds the default route's address or, failing that, any
         * interface address the filter accepts. So: multihoming for a global address, else not.
         */
        @Override
        public boolean allowMultiHoming() {
            return bind != null && AddressUtils.isGlobalUnicast(bind);
        }

        @Override
        public Predicate<InetAddress> filterBindAddress() {
            return bind == null ? a -> true : bind::equals;
        }
    }
}

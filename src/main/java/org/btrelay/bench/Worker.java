package org.btrelay.bench;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * One event-loop thread: a {@link Selector} over its share of the peers, a minimal WebSocket
 * client (RFC 6455: upgrade, masked frames out, frames in, ping/pong, close) and the peers'
 * behaviour. Nothing here blocks, and nothing is shared with other workers except the
 * {@link LoadGenerator.Clock} it reads and the results it hands over when it ends.
 */
final class Worker implements Runnable {
    private static final String WS_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    private static final int MAX_CONNECTS_IN_FLIGHT = 256;
    private static final int MAX_FRAME = 16 * 1024 * 1024;
    private static final int MAX_PENDING_OUT = 16 * 1024 * 1024;
    private static final int MAX_FAILURE_REASONS = 20;
    private static final int OP_CONT = 0x0;
    private static final int OP_TEXT = 0x1;
    private static final int OP_BINARY = 0x2;
    private static final int OP_CLOSE = 0x8;
    private static final int OP_PING = 0x9;
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private final BenchConfig config;
    private final List<Peer> peers;
    private final LoadGenerator.Clock clock;
    private final Traffic traffic;
    private final boolean closedLoop;
    private final InetSocketAddress target;
    private final List<InetAddress> sources;
    private final Selector selector;
    private final MessageDigest sha1;
    private final Json.Message message = new Json.Message();
    /** Peers with bytes queued during this loop turn. */
    private final List<Peer> dirty = new java.util.ArrayList<>();

    private byte[] work = new byte[256 * 1024];
    private final ByteBuffer workBuffer = ByteBuffer.allocateDirect(256 * 1024);
    private byte[] frame = new byte[64 * 1024];
    private long now;
    private boolean measuring;

    // Results, read by the generator after this thread ended.
    final Counts warm = new Counts();
    final Counts measured = new Counts();
    private Counts current = warm;
    final Histogram latency = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
    final Map<String, Long> failureReasons = new TreeMap<>();
    final Map<String, Long> closeCodes = new TreeMap<>();
    int opened;
    long connectFailures;
    long closedByServer;
    long ioErrors;
    long protocolErrors;
    private int connectsInFlight;

    Worker(int id, BenchConfig config, List<Peer> peers, LoadGenerator.Clock clock) throws IOException {
        this.config = config;
        this.peers = peers;
        this.clock = clock;
        this.traffic = new Traffic(config, clock.seed * 31 + id);
        this.closedLoop = config.rate() == 0;
        this.target = config.target();
        this.sources = config.sourceAddresses();
        this.selector = Selector.open();
        try {
            this.sha1 = MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void run() {
        try {
            connectAll();
            clock.connected(opened);
            long start = clock.awaitStart();
            load(start);
        } catch (IOException | RuntimeException e) {
            ioErrors++;
            clock.failed(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            closeAll();
        }
    }

    // ------------------------------------------------------------------ connecting

    private void connectAll() throws IOException {
        long deadline = System.nanoTime() + config.connectTimeout().toNanos();
        int next = 0;
        while (opened + connectFailures < peers.size()) {
            while (connectsInFlight < MAX_CONNECTS_IN_FLIGHT && next < peers.size()) {
                startConnect(peers.get(next++));
            }
            flushDirty();
            selector.select(10);
            now = System.nanoTime();
            handleSelected();
            if (now > deadline) {
                for (Peer p : peers) {
                    if (p.state == Peer.State.CONNECTING || p.state == Peer.State.HANDSHAKE) {
                        connectFailed(p, "connect timeout");
                    } else if (p.state == Peer.State.NEW) {
                        p.state = Peer.State.CLOSED;
                        connectFailures++;
                    }
                }
                return;
            }
        }
    }

    private void startConnect(Peer p) {
        try {
            SocketChannel ch = SocketChannel.open();
            p.channel = ch;
            ch.configureBlocking(false);
            ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
            if (!sources.isEmpty()) {
                ch.bind(new InetSocketAddress(sources.get(p.index % sources.size()), 0));
            }
            p.state = Peer.State.CONNECTING;
            connectsInFlight++;
            if (ch.connect(target)) {
                p.key = ch.register(selector, 0, p);
                sendUpgrade(p);
            } else {
                p.key = ch.register(selector, SelectionKey.OP_CONNECT, p);
            }
        } catch (IOException e) {
            connectFailed(p, e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    private void connectFailed(Peer p, String why) {
        if (p.state == Peer.State.CONNECTING || p.state == Peer.State.HANDSHAKE) {
            connectsInFlight--;
        }
        connectFailures++;
        reason("connect failed: " + why);
        close(p);
    }

    private void sendUpgrade(Peer p) throws IOException {
        byte[] nonce = new byte[16];
        for (int i = 0; i < 16; i++) {
            nonce[i] = (byte) traffic.random().nextInt(256);
        }
        String key = Base64.getEncoder().encodeToString(nonce);
        p.expectedAccept = Base64.getEncoder().encodeToString(
                sha1.digest((key + WS_GUID).getBytes(StandardCharsets.US_ASCII)));
        String request = "GET " + config.path() + " HTTP/1.1\r\n"
                + "Host: " + config.hostHeader() + "\r\n"
                + "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + key + "\r\n"
                + "Sec-WebSocket-Version: 13\r\n"
                + "User-Agent: bittorrent-relay-bench\r\n\r\n";
        p.state = Peer.State.HANDSHAKE;
        byte[] bytes = request.getBytes(StandardCharsets.US_ASCII);
        write(p, ByteBuffer.wrap(bytes));
        p.key.interestOps(p.key.interestOps() | SelectionKey.OP_READ);
    }

    /** Reads the upgrade response from {@code work[0..len)}; returns where the frames start, or -1. */
    private int readUpgrade(Peer p, int len) {
        int headerEnd = indexOf(work, len, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        if (headerEnd < 0) {
            if (len > 16 * 1024) {
                connectFailed(p, "upgrade response too long");
            } else {
                p.keepPartial(work, 0, len);
            }
            return -1;
        }
        String header = new String(work, 0, headerEnd, StandardCharsets.ISO_8859_1);
        String status = header.substring(0, Math.max(0, header.indexOf("\r\n")));
        if (!status.startsWith("HTTP/1.1 101")) {
            connectFailed(p, "upgrade refused: " + status);
            return -1;
        }
        String accept = null;
        for (String line : header.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().toLowerCase(Locale.ROOT).equals("sec-websocket-accept")) {
                accept = line.substring(colon + 1).trim();
            }
        }
        if (!p.expectedAccept.equals(accept)) {
            connectFailed(p, "bad Sec-WebSocket-Accept");
            return -1;
        }
        p.state = Peer.State.OPEN;
        p.partialLen = 0;
        connectsInFlight--;
        opened++;
        return headerEnd + 4;
    }

    private static int indexOf(byte[] b, int len, byte[] pattern) {
        outer:
        for (int i = 0; i + pattern.length <= len; i++) {
            for (int j = 0; j < pattern.length; j++) {
                if (b[i + j] != pattern[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    // ------------------------------------------------------------------ the load

    private void load(long start) throws IOException {
        long warmupEnd = start + config.warmup().toNanos();
        long end = warmupEnd + config.duration().toNanos();
        now = System.nanoTime();
        measuring = now >= warmupEnd;
        current = measuring ? measured : warm;
        for (Peer p : peers) {
            for (int t = 0; t < p.infoHashes.length && p.isOpen(); t++) {
                announce(p, p.nextTorrent(), "started");
            }
        }
        double perNano = config.rate() / config.threads() / 1e9;
        long paced = 0;
        int cursor = 0;
        while (true) {
            now = System.nanoTime();
            if (now >= end) {
                break;
            }
            if (!measuring && now >= warmupEnd) {
                measuring = true;
                current = measured;
                latency.reset();
            }
            if (!closedLoop) {
                long due = (long) ((now - start) * perNano);
                // A backlog after a stall is sent in slices so that reading is not starved.
                for (int budget = 2000; paced < due && budget > 0; budget--) {
                    paced++;
                    int pos = nextOpen(cursor);
                    if (pos < 0) {
                        break;
                    }
                    cursor = (pos + 1) % peers.size();
                    request(peers.get(pos));
                }
            }
            long waitMillis = closedLoop ? Math.max(1, Math.min(50, (end - now) / 1_000_000)) : 1;
            flushDirty();
            selector.select(waitMillis);
            now = System.nanoTime();
            handleSelected();
        }
    }

    /** The position of the first open peer at or after {@code from} (wrapping), or -1. */
    private int nextOpen(int from) {
        int n = peers.size();
        for (int k = 0; k < n; k++) {
            int pos = (from + k) % n;
            if (peers.get(pos).isOpen()) {
                return pos;
            }
        }
        return -1;
    }

    /** The next request of a peer: mostly announces, now and then a scrape. */
    private void request(Peer p) {
        int torrent = p.nextTorrent();
        if (config.scrapeShare() > 0 && traffic.random().nextDouble() < config.scrapeShare()) {
            Json.Out o = traffic.scrape(p, torrent);
            p.scrapes.push(now);
            current.scrapesSent++;
            sendText(p, o);
        } else {
            announce(p, torrent, null);
        }
    }

    private void announce(Peer p, int torrent, String event) {
        Json.Out o = traffic.announce(p, torrent, event);
        p.announces.push(now);
        current.announcesSent++;
        sendText(p, o);
    }

    private void onMessage(Peer p, byte[] b, int off, int len) {
        Counts c = current;
        c.responses++;
        c.bytesIn += len;
        Json.Message m = message;
        Json.scan(b, off, len, m);
        switch (m.kind) {
            case ANNOUNCE_REPLY -> {
                c.announceReplies++;
                long sent = p.announces.pop();
                if (measuring && sent != 0) {
                    latency.recordValue(Math.max(0, now - sent));
                }
                if (closedLoop) {
                    request(p);
                }
            }
            case OFFER -> {
                c.offersReceived++;
                if (m.infoHash != null && m.peerId != null && m.offerId != null
                        && config.answerShare() > 0 && traffic.random().nextDouble() < config.answerShare()) {
                    c.answersSent++;
                    sendText(p, traffic.answer(p, m.infoHash, m.peerId, m.offerId));
                }
            }
            case ANSWER -> c.answersReceived++;
            case SCRAPE_REPLY -> {
                c.scrapeReplies++;
                p.scrapes.pop();
                if (closedLoop) {
                    request(p);
                }
            }
            case FAILURE -> {
                c.failures++;
                reason(m.failure);
                // A refused answer waits for no reply; a refused announce or scrape was awaited.
                boolean answerRefused = m.failure.toLowerCase(Locale.ROOT).contains("offer");
                if (!answerRefused) {
                    boolean scrape = "scrape".equals(m.action)
                            || (m.action == null && p.scrapes.size() > 0 && p.announces.size() == 0);
                    long sent = scrape ? p.scrapes.pop() : p.announces.pop();
                    if (closedLoop && sent != 0) {
                        request(p);
                    }
                }
            }
            default -> c.unexpected++;
        }
    }

    private void reason(String r) {
        if (failureReasons.size() < MAX_FAILURE_REASONS || failureReasons.containsKey(r)) {
            failureReasons.merge(r, 1L, Long::sum);
        }
    }

    // ------------------------------------------------------------------ I/O

    private void handleSelected() {
        Iterator<SelectionKey> it = selector.selectedKeys().iterator();
        while (it.hasNext()) {
            SelectionKey k = it.next();
            it.remove();
            Peer p = (Peer) k.attachment();
            if (!k.isValid()) {
                continue;
            }
            try {
                if (k.isConnectable()) {
                    if (p.channel.finishConnect()) {
                        k.interestOps(0);
                        sendUpgrade(p);
                    }
                    continue;
                }
                if (k.isValid() && k.isWritable()) {
                    flush(p);
                }
                if (k.isValid() && k.isReadable()) {
                    read(p);
                }
            } catch (IOException e) {
                ioError(p, e);
            }
        }
        flushDirty();
    }

    private void read(Peer p) throws IOException {
        while (p.state == Peer.State.OPEN || p.state == Peer.State.HANDSHAKE) {
            int have = p.partialLen;
            if (have > 0) {
                System.arraycopy(p.partial, 0, work, 0, have);
                p.partialLen = 0;
            }
            ByteBuffer buf = workBuffer;
            buf.clear();
            buf.limit(Math.min(buf.capacity(), work.length - have));
            int n = p.channel.read(buf);
            if (n < 0) {
                if (p.state == Peer.State.HANDSHAKE) {
                    connectFailed(p, "connection closed during upgrade");
                } else {
                    closedByServer++;
                    closeCodes.merge("none (TCP close)", 1L, Long::sum);
                    reason("connection closed by the tracker");
                    close(p);
                }
                return;
            }
            if (n == 0) {
                if (have > 0) {
                    p.keepPartial(work, 0, have);
                }
                return;
            }
            buf.flip();
            buf.get(work, have, n);
            int len = have + n;
            int pos = 0;
            if (p.state == Peer.State.HANDSHAKE) {
                pos = readUpgrade(p, len);
                if (pos < 0) {
                    return;
                }
            }
            pos = frames(p, len, pos);
            if (pos < 0) {
                return;
            }
            if (pos < len) {
                p.keepPartial(work, pos, len - pos);
            }
            if (n < buf.capacity() && n < work.length - have) {
                return;
            }
        }
    }

    /** Handles every whole frame in {@code work[pos..len)}; returns where the rest starts, -1 if closed. */
    private int frames(Peer p, int len, int pos) {
        while (p.isOpen()) {
            int avail = len - pos;
            if (avail < 2) {
                break;
            }
            int b0 = work[pos] & 0xFF;
            int b1 = work[pos + 1] & 0xFF;
            boolean fin = (b0 & 0x80) != 0;
            int op = b0 & 0x0F;
            if ((b1 & 0x80) != 0) {
                protocolError(p, "masked frame from the server");
                return -1;
            }
            long size = b1 & 0x7F;
            int header = 2;
            if (size == 126) {
                if (avail < 4) {
                    break;
                }
                size = ((work[pos + 2] & 0xFF) << 8) | (work[pos + 3] & 0xFF);
                header = 4;
            } else if (size == 127) {
                if (avail < 10) {
                    break;
                }
                size = 0;
                for (int i = 2; i < 10; i++) {
                    size = (size << 8) | (work[pos + i] & 0xFF);
                }
                header = 10;
            }
            if (size > MAX_FRAME) {
                protocolError(p, "frame of " + size + " bytes");
                return -1;
            }
            int total = header + (int) size;
            if (avail < total) {
                if (total > work.length) {
                    // Room for the whole frame next time: keep the array large enough.
                    byte[] grown = Arrays.copyOf(work, Math.max(total, 2 * work.length));
                    work = grown;
                }
                break;
            }
            int payload = pos + header;
            switch (op) {
                case OP_TEXT -> {
                    if (fin) {
                        onMessage(p, work, payload, (int) size);
                    } else {
                        p.fragmentLen = 0;
                        p.inFragment = true;
                        p.appendFragment(work, payload, (int) size);
                    }
                }
                case OP_CONT -> {
                    if (!p.inFragment) {
                        protocolError(p, "continuation without a start");
                        return -1;
                    }
                    p.appendFragment(work, payload, (int) size);
                    if (fin) {
                        p.inFragment = false;
                        onMessage(p, p.fragment, 0, p.fragmentLen);
                    }
                }
                case OP_CLOSE -> {
                    int code = size >= 2 ? ((work[payload] & 0xFF) << 8) | (work[payload + 1] & 0xFF) : 1005;
                    String why = size > 2 ? new String(work, payload + 2, (int) size - 2, StandardCharsets.UTF_8) : "";
                    closedByServer++;
                    closeCodes.merge(Integer.toString(code), 1L, Long::sum);
                    reason("closed by the tracker: " + code + (why.isEmpty() ? "" : " " + why));
                    close(p);
                    return -1;
                }
                case OP_PING -> sendFrame(p, 0xA, work, payload, (int) size);
                case OP_BINARY -> {
                    current.unexpected++;
                }
                default -> {
                    // pong or a reserved opcode: nothing to do
                }
            }
            pos += total;
        }
        return p.isOpen() ? pos : -1;
    }

    private void protocolError(Peer p, String what) {
        protocolErrors++;
        reason("protocol error: " + what);
        close(p);
    }

    private void sendText(Peer p, Json.Out o) {
        current.bytesOut += o.len;
        sendFrame(p, OP_TEXT, o.buf, 0, o.len);
    }

    /** Writes one masked frame (a client must mask, RFC 6455 section 5.3). */
    private void sendFrame(Peer p, int opcode, byte[] payload, int off, int len) {
        if (!p.isOpen()) {
            return;
        }
        int header = 2 + (len < 126 ? 0 : len <= 0xFFFF ? 2 : 8) + 4;
        if (frame.length < header + len) {
            frame = new byte[Math.max(header + len, 2 * frame.length)];
        }
        byte[] f = frame;
        f[0] = (byte) (0x80 | opcode);
        int h;
        if (len < 126) {
            f[1] = (byte) (0x80 | len);
            h = 2;
        } else if (len <= 0xFFFF) {
            f[1] = (byte) (0x80 | 126);
            f[2] = (byte) (len >>> 8);
            f[3] = (byte) len;
            h = 4;
        } else {
            f[1] = (byte) (0x80 | 127);
            for (int i = 0; i < 8; i++) {
                f[2 + i] = (byte) (((long) len) >>> (56 - 8 * i));
            }
            h = 10;
        }
        int mask = traffic.random().nextInt();
        f[h] = (byte) mask;
        f[h + 1] = (byte) (mask >>> 8);
        f[h + 2] = (byte) (mask >>> 16);
        f[h + 3] = (byte) (mask >>> 24);
        h += 4;
        long mask8 = (mask & 0xFFFFFFFFL) | ((long) mask << 32);
        int i = 0;
        for (; i + 8 <= len; i += 8) {
            LONGS.set(f, h + i, (long) LONGS.get(payload, off + i) ^ mask8);
        }
        for (; i < len; i++) {
            f[h + i] = (byte) (payload[off + i] ^ (mask >>> (8 * (i & 3))));
        }
        write(p, ByteBuffer.wrap(f, 0, h + len));
    }

    /**
     * Queues bytes for the peer; everything queued during one loop turn goes out in one write per
     * connection at its end ({@link #flushDirty}), as a browser's stack would coalesce them.
     */
    private void write(Peer p, ByteBuffer data) {
        ByteBuffer out = p.pendingOut;
        if (out == null) {
            out = ByteBuffer.allocate(Math.max(8192, data.remaining() * 2));
            p.pendingOut = out;
        } else if (out.remaining() < data.remaining()) {
            if (out.position() + data.remaining() > MAX_PENDING_OUT) {
                protocolError(p, "the tracker stopped reading (" + out.position() + " bytes waiting)");
                return;
            }
            ByteBuffer grown = ByteBuffer.allocate(Math.max(out.capacity() * 2, out.position() + data.remaining()));
            out.flip();
            grown.put(out);
            p.pendingOut = grown;
            out = grown;
        }
        out.put(data);
        if (!p.dirty) {
            p.dirty = true;
            dirty.add(p);
        }
    }

    /** Writes what every connection queued during this loop turn, one write each. */
    private void flushDirty() {
        for (int i = 0; i < dirty.size(); i++) {
            Peer p = dirty.get(i);
            p.dirty = false;
            if (p.state == Peer.State.CLOSED || p.wantWrite) {
                continue; // closed, or waiting for the socket: the write event sends it
            }
            try {
                flush(p);
            } catch (IOException e) {
                ioError(p, e);
            }
        }
        dirty.clear();
    }

    private void ioError(Peer p, IOException e) {
        if (p.state == Peer.State.CONNECTING || p.state == Peer.State.HANDSHAKE) {
            connectFailed(p, e.getClass().getSimpleName() + ": " + e.getMessage());
        } else if (p.state == Peer.State.OPEN) {
            ioErrors++;
            reason("I/O error: " + e.getClass().getSimpleName() + ": " + e.getMessage());
            close(p);
        }
    }

    private void flush(Peer p) throws IOException {
        ByteBuffer out = p.pendingOut;
        if (out == null || out.position() == 0) {
            watchWrites(p, false);
            return;
        }
        out.flip();
        p.channel.write(out);
        out.compact();
        watchWrites(p, out.position() > 0);
    }

    private void watchWrites(Peer p, boolean on) {
        if (p.wantWrite != on && p.key != null && p.key.isValid()) {
            p.wantWrite = on;
            p.key.interestOps(on ? p.key.interestOps() | SelectionKey.OP_WRITE : p.key.interestOps() & ~SelectionKey.OP_WRITE);
        }
    }

    private void close(Peer p) {
        p.state = Peer.State.CLOSED;
        if (p.key != null) {
            p.key.cancel();
        }
        if (p.channel != null) {
            try {
                p.channel.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
    }

    /** Says goodbye (close frame 1000) to every open connection and closes the sockets. */
    private void closeAll() {
        byte[] normal = {0x03, (byte) 0xE8};
        for (Peer p : peers) {
            if (p.isOpen() && (p.pendingOut == null || p.pendingOut.position() == 0)) {
                sendFrame(p, OP_CLOSE, normal, 0, 2);
                try {
                    flush(p);
                } catch (IOException e) {
                    // closing anyway
                }
            }
            if (p.state != Peer.State.CLOSED) {
                close(p);
            }
        }
        try {
            selector.close();
        } catch (IOException e) {
            // nothing left to do
        }
    }
}

package org.btrelay.net;

import io.undertow.conduits.ReadDataStreamSourceConduit;
import io.undertow.server.AbstractServerConnection;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.ServerConnection;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.xnio.ChannelListener;
import org.xnio.ChannelListeners;
import org.xnio.IoUtils;
import org.xnio.StreamConnection;
import org.xnio.XnioIoThread;
import org.xnio.conduits.ConduitStreamSinkChannel;
import org.xnio.conduits.ConduitStreamSourceChannel;

/**
 * The server's end of one WebSocket (RFC 6455), framed here on the connection Undertow upgraded:
 * frames are read from the socket into a buffer of the I/O thread, unmasked eight bytes at a time,
 * checked (UTF-8 of text, reserved bits, opcodes, masking, sizes, fragmentation, control frames)
 * and handed to {@link #onMessage} in place, without a copy. Messages sent from any thread are
 * queued and written by the connection's I/O thread once per loop turn, all that waits in one
 * write. Works on any connection Undertow hands over, TLS included (the conduits below do the
 * encryption).
 *
 * <p>Nothing of the HTTP request that opened the connection is kept ({@link #start}). An idle
 * connection holds no buffer: only a frame that arrived in part (the part), a message
 * sent in several frames (the frames so far), or what waits to be written is kept with it.
 *
 * <p>Errors close the connection the way RFC 6455 says: a protocol error with 1002, text that is
 * not UTF-8 with 1007, a message over the bound with 1009 (as soon as its header shows it). A
 * close frame from the client is answered with its code. After its close frame the server sends
 * no more, half-closes and reads (discarding) until the client closes, at most
 * {@link #CLOSE_TIMEOUT_SECONDS}, so that the client reads the close frame before the socket goes.
 * Pings are answered (the latest one, as RFC 6455 allows); pongs are ignored.
 *
 * <p>Thread safety: {@link #send} and {@link #close} may be called from any thread; reading and
 * writing happen on the connection's I/O thread only.
 */
public abstract class ServerWebSocket implements ChannelListener<Channel>, Runnable {
    public static final int NORMAL = 1000;
    public static final int PROTOCOL_ERROR = 1002;
    public static final int INVALID_DATA = 1007;
    public static final int MESSAGE_TOO_BIG = 1009;
    /** How long a closing connection waits for the client to read the close frame and go. */
    static final int CLOSE_TIMEOUT_SECONDS = 5;

    private static final int OP_CONTINUATION = 0x0;
    private static final int OP_TEXT = 0x1;
    private static final int OP_BINARY = 0x2;
    private static final int OP_CLOSE = 0x8;
    private static final int OP_PING = 0x9;
    private static final int OP_PONG = 0xA;
    /** Reads per readiness event before other connections get their turn. */
    private static final int MAX_READS_PER_EVENT = 16;

    // Flags, guarded by the monitor.
    /** A flush task is queued, or writing waits for the socket to become writable. */
    private static final int FLUSH_PENDING = 1;
    /** A close frame is queued (or sent): nothing more is sent, incoming data is discarded. */
    private static final int CLOSING = 2;
    /** The close frame is written and the write side shut down. */
    private static final int CLOSE_SENT = 4;
    /** The connection is closed and {@link #onClosed} was called. */
    private static final int TERMINATED = 8;
    /** The close frame is in the output (written, or kept until the socket takes it). */
    private static final int CLOSE_FRAMED = 16;
    /** Incoming bytes are no longer read as frames (after a protocol error or the client's close). */
    private static final int DISCARD = 32;
    /** The client's close frame arrived. */
    private static final int PEER_CLOSED = 64;

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INTS = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final ThreadLocal<IoBuffers> BUFFERS = ThreadLocal.withInitial(IoBuffers::new);

    /** Bounds shared by every connection of one endpoint. */
    public record Bounds(int maxMessageBytes, int maxQueuedBytes) {}

    private final StreamConnection connection;
    private final Bounds bounds;

    // Reading: the I/O thread only.
    /** Bytes of a frame that arrived in part, still masked; null while none. */
    private byte[] carry;
    /** A message arriving in several frames: the payload so far, unmasked. */
    private byte[] message;
    private int messageLength;
    /** The opcode of the message being assembled (text or binary), or -1. */
    private byte messageOpcode = -1;
    private boolean eof;

    // Writing: guarded by the monitor, written out on the I/O thread.
    private int flags;
    /** Messages waiting, in a ring; null while none wait. */
    private byte[][] queue;
    private int queueHead;
    private int queueCount;
    /** Bytes in the queue and in {@link #unwritten}, for the bound. */
    private int queuedBytes;
    /** The payload of the latest ping not yet answered. */
    private byte[] pong;
    /** The close frame's payload once {@link #CLOSING}. */
    private byte[] closePayload;
    /** Framed bytes the socket did not take yet (only the I/O thread touches these two). */
    private byte[] unwritten;
    private int unwrittenFrom;
    /** Whether writability is asked for (the I/O thread only). */
    private boolean writesResumed;

    protected ServerWebSocket(StreamConnection connection, Bounds bounds) {
        this.connection = connection;
        this.bounds = bounds;
    }

    /**
     * One whole message, unmasked: {@code len} bytes of {@code data} at {@code off}, valid during the
     * call only. Text has been checked to be UTF-8; binary is as the client sent it.
     */
    protected abstract void onMessage(byte[] data, int off, int len, boolean text);

    /** The connection is gone (however it ended); called once, on any thread. */
    protected abstract void onClosed();

    /**
     * A close began (either side's close frame, or an error): nothing more is read from the client.
     * Called once, before {@link #onClosed}, on any thread; the socket may take a while to go.
     */
    protected void onClosing() {
    }

    /**
     * Starts reading. Called once the upgrade is done, on the connection's I/O thread; messages
     * sent before it are written then.
     */
    public final void start(HttpServerExchange upgrade) {
        ConduitStreamSourceChannel source = connection.getSourceChannel();
        source.setReadListener(this);
        connection.getSinkChannel().setWriteListener(this);
        ServerConnection http = upgrade.getConnection();
        if (http instanceof AbstractServerConnection a && a.getExtraBytes() != null) {
            // Frames the client sent right behind its upgrade request wait in the HTTP connection.
            handleEvent(source);
        }
        endHttp(http, source);
        if (!connection.isOpen()) {
            terminated();
            return;
        }
        source.resumeReads();
    }

    /**
     * The HTTP connection that carried the upgrade ends here, as far as Undertow is concerned: its
     * close listeners run now (it leaves the server's list of open connections, its request
     * timer is cancelled) and the socket's close listener becomes this one. Otherwise Undertow
     * keeps the whole HTTP connection (parser, response conduits, timers: about 800 bytes) for
     * as long as the WebSocket lives. What closes the socket later (this class, the worker
     * stopping) reaches {@link #onClosed} through that listener.
     */
    private void endHttp(ServerConnection http, ConduitStreamSourceChannel source) {
        if (!connection.isOpen()) {
            return; // closed while reading those bytes: Undertow has had its close listeners run
        }
        ChannelListener<? super StreamConnection> httpClosed = connection.getCloseListener();
        if (!replaceCloseListener(httpClosed)) {
            // XNIO only adds close listeners: Undertow's stays, and so does its HTTP connection.
            connection.setCloseListener(this);
            return;
        }
        if (httpClosed != null) {
            ChannelListeners.invokeChannelListener(connection, httpClosed);
        }
        if (http instanceof AbstractServerConnection a && source.getConduit() instanceof ReadDataStreamSourceConduit) {
            // Only there to hand out those extra bytes, which are read by now.
            source.setConduit(a.getOriginalSourceConduit());
        }
    }

    /**
     * {@link StreamConnection#setCloseListener} merges a new listener with the one it has, so the
     * one Undertow set (which holds its HTTP connection) can only be replaced in the field that
     * holds it. Where that field is not there or not reachable, nothing is replaced.
     */
    @SuppressWarnings("unchecked")
    private boolean replaceCloseListener(ChannelListener<? super StreamConnection> current) {
        if (CLOSE_LISTENER == null || current == null) {
            return false;
        }
        try {
            return ((AtomicReference<Object>) CLOSE_LISTENER.get(connection)).compareAndSet(current, this);
        } catch (IllegalAccessException | RuntimeException e) {
            return false;
        }
    }

    private static final Field CLOSE_LISTENER = closeListenerField();

    private static Field closeListenerField() {
        try {
            Field f = StreamConnection.class.getDeclaredField("closeListener");
            if (f.getType() != AtomicReference.class) {
                return null;
            }
            f.setAccessible(true);
            return f;
        } catch (NoSuchFieldException | RuntimeException e) {
            return null;
        }
    }

    /** The TCP peer's address (for a client behind a proxy, ask {@link ClientAddress}). */
    public final StreamConnection connection() {
        return connection;
    }

    // ------------------------------------------------------------------ sending

    /**
     * Queues one text message; {@code utf8} must be valid UTF-8 and is not copied (don't change it).
     * A client that lets more than the bound wait is closed with {@link #slowReaderCode()}.
     */
    public final void send(byte[] utf8) {
        boolean schedule;
        boolean overflow;
        synchronized (this) {
            if ((flags & CLOSING) != 0) {
                return;
            }
            overflow = (long) queuedBytes + utf8.length > bounds.maxQueuedBytes();
            if (overflow) {
                schedule = closeLocked(slowReaderCode(), slowReaderReason());
            } else {
                enqueue(utf8);
                queuedBytes += utf8.length;
                schedule = schedule();
            }
        }
        if (schedule) {
            flushLater();
        }
        if (overflow) {
            onClosing();
        }
    }

    /** The close code for a client that does not read what it is sent. */
    protected int slowReaderCode() {
        return 4000;
    }

    protected String slowReaderReason() {
        return "too much data waiting: the client does not read";
    }

    /** Bytes handed over and not yet written to the socket. */
    public final synchronized int queuedBytes() {
        return queuedBytes;
    }

    /**
     * Sends a close frame with the code and reason after what is queued, then ends the connection
     * (see the class comment); once.
     */
    public final void close(int code, String reason) {
        boolean began;
        boolean schedule;
        synchronized (this) {
            began = (flags & CLOSING) == 0;
            schedule = closeLocked(code, reason);
        }
        if (schedule) {
            flushLater();
        }
        if (began) {
            onClosing();
        }
    }

    /** Whether messages can still be sent (open, and no close under way). */
    public final synchronized boolean isOpen() {
        return (flags & (CLOSING | TERMINATED)) == 0;
    }

    private boolean closeLocked(int code, String reason) {
        if ((flags & CLOSING) != 0) {
            return false;
        }
        flags |= CLOSING;
        closePayload = closePayload(code, reason);
        try {
            connection.getIoThread().executeAfter(this::closeTimedOut, CLOSE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (RuntimeException shuttingDown) {
            // The worker is stopping: it closes every connection itself.
        }
        return schedule();
    }

    /**
     * Has the I/O thread write this connection at the end of its loop turn. Sends from the I/O
     * thread itself (most of them: the reply to a message, and the signals to the other peers it
     * serves) share one task per turn; a send from another thread queues a task of its own.
     */
    private void flushLater() {
        XnioIoThread io = connection.getIoThread();
        if (Thread.currentThread() == io) {
            BUFFERS.get().flushLater(this, io);
        } else {
            io.execute(this);
        }
    }

    /** Marks a flush as pending; true if the caller must queue it. */
    private boolean schedule() {
        if ((flags & (FLUSH_PENDING | TERMINATED)) != 0) {
            return false;
        }
        flags |= FLUSH_PENDING;
        return true;
    }

    private void enqueue(byte[] m) {
        if (queue == null) {
            queue = new byte[4][];
            queueHead = 0;
        } else if (queueCount == queue.length) {
            byte[][] grown = new byte[queueCount * 2][];
            for (int i = 0; i < queueCount; i++) {
                grown[i] = queue[(queueHead + i) % queueCount];
            }
            queue = grown;
            queueHead = 0;
        }
        queue[(queueHead + queueCount) % queue.length] = m;
        queueCount++;
    }

    private synchronized byte[] dequeue() {
        if (queueCount == 0) {
            return null;
        }
        byte[] m = queue[queueHead];
        queue[queueHead] = null;
        queueHead = (queueHead + 1) % queue.length;
        queueCount--;
        queuedBytes -= m.length;
        return m;
    }

    private static byte[] closePayload(int code, String reason) {
        byte[] why = reason == null ? new byte[0] : reason.getBytes(StandardCharsets.UTF_8);
        int n = why.length;
        if (n > 123) {
            // A control frame carries at most 125 bytes; cut at a character boundary.
            n = 123;
            while (n > 0 && (why[n] & 0xC0) == 0x80) {
                n--;
            }
        }
        byte[] p = new byte[2 + n];
        p[0] = (byte) (code >>> 8);
        p[1] = (byte) code;
        System.arraycopy(why, 0, p, 2, n);
        return p;
    }

    /** The flush task, on the I/O thread: writes everything that waits. */
    @Override
    public final void run() {
        try {
            flush();
        } catch (IOException e) {
            abort();
        }
    }

    private void flush() throws IOException {
        ConduitStreamSinkChannel sink = connection.getSinkChannel();
        int f;
        synchronized (this) {
            f = flags;
        }
        if ((f & TERMINATED) != 0) {
            return;
        }
        if ((f & CLOSE_SENT) != 0) {
            // Only the half-close may still be on its way (TLS).
            if (sink.flush()) {
                writes(sink, false);
                if (eof || is(PEER_CLOSED)) {
                    IoUtils.safeClose(connection);
                }
            }
            return;
        }
        if (unwritten != null) {
            ByteBuffer rest = ByteBuffer.wrap(unwritten, unwrittenFrom, unwritten.length - unwrittenFrom);
            while (rest.hasRemaining() && sink.write(rest) > 0) {
                // the socket takes more
            }
            synchronized (this) {
                queuedBytes -= rest.position() - unwrittenFrom;
            }
            if (rest.hasRemaining()) {
                unwrittenFrom = rest.position();
                writes(sink, true);
                return;
            }
            unwritten = null;
        }
        ByteBuffer out = BUFFERS.get().out;
        out.clear();
        byte[] ping;
        synchronized (this) {
            ping = pong;
            pong = null;
        }
        if (ping != null && !frame(sink, out, OP_PONG, ping)) {
            return;
        }
        for (;;) {
            byte[] m = dequeue();
            if (m != null) {
                if (!frame(sink, out, OP_TEXT, m)) {
                    return;
                }
                continue;
            }
            byte[] close = null;
            synchronized (this) {
                if ((flags & (CLOSING | CLOSE_FRAMED)) == CLOSING) {
                    close = closePayload;
                    flags |= CLOSE_FRAMED;
                }
                f = flags;
            }
            if ((f & CLOSING) != 0) {
                if ((close == null || frame(sink, out, OP_CLOSE, close)) && drained(sink, out)) {
                    closeSent(sink);
                }
                return;
            }
            if (!drained(sink, out)) {
                return;
            }
            if (!sink.flush()) {
                writes(sink, true);
                return;
            }
            synchronized (this) {
                if (queueCount > 0) {
                    continue; // sent meanwhile from another thread
                }
                // Nothing waits: the next send queues a flush again.
                flags &= ~FLUSH_PENDING;
                queue = null;
            }
            writes(sink, false);
            return;
        }
    }

    /** Asks for (or stops asking for) writability, without a call when nothing changes. */
    private void writes(ConduitStreamSinkChannel sink, boolean resume) {
        if (resume != writesResumed) {
            writesResumed = resume;
            if (resume) {
                sink.resumeWrites();
            } else {
                sink.suspendWrites();
            }
        }
    }

    /** {@link #drain}, keeping what the socket did not take. */
    private boolean drained(ConduitStreamSinkChannel sink, ByteBuffer out) throws IOException {
        if (drain(sink, out)) {
            return true;
        }
        keep(sink, out, 0, null, 0, false);
        return false;
    }

    /** After the close frame: half-close, then wait for the client to go (see the class comment). */
    private void closeSent(ConduitStreamSinkChannel sink) throws IOException {
        synchronized (this) {
            flags |= CLOSE_SENT;
        }
        sink.shutdownWrites();
        if (!sink.flush()) {
            writes(sink, true);
            return;
        }
        writes(sink, false);
        if (eof || is(PEER_CLOSED)) {
            IoUtils.safeClose(connection);
        }
    }

    /**
     * Puts one frame into {@code out}, writing {@code out} to the socket whenever it fills. False
     * when the socket takes no more: the rest is kept in {@link #unwritten} and writes resume.
     */
    private boolean frame(ConduitStreamSinkChannel sink, ByteBuffer out, int opcode, byte[] payload) throws IOException {
        int n = payload.length;
        int header = n < 126 ? 2 : n < 65536 ? 4 : 10;
        if (out.remaining() < header && !drain(sink, out)) {
            keep(sink, out, opcode, payload, 0, true);
            return false;
        }
        out.put((byte) (0x80 | opcode));
        if (n < 126) {
            out.put((byte) n);
        } else if (n < 65536) {
            out.put((byte) 126).putShort((short) n);
        } else {
            out.put((byte) 127).putLong(n);
        }
        int off = 0;
        for (;;) {
            int k = Math.min(out.remaining(), n - off);
            out.put(payload, off, k);
            off += k;
            if (off == n) {
                return true;
            }
            if (!drain(sink, out)) {
                keep(sink, out, opcode, payload, off, false);
                return false;
            }
        }
    }

    /** Writes {@code out} whole; true (and {@code out} cleared) if the socket took it all. */
    private static boolean drain(ConduitStreamSinkChannel sink, ByteBuffer out) throws IOException {
        if (out.position() == 0) {
            return true;
        }
        out.flip();
        while (out.hasRemaining() && sink.write(out) > 0) {
            // the socket takes more
        }
        if (out.hasRemaining()) {
            out.compact();
            return false;
        }
        out.clear();
        return true;
    }

    /**
     * Keeps what the socket did not take: the bytes left in {@code out}, then the frame being
     * written from {@code from} (its header too, if {@code withHeader}).
     */
    private void keep(ConduitStreamSinkChannel sink, ByteBuffer out, int opcode, byte[] payload, int from,
                      boolean withHeader) {
        out.flip();
        int n = payload == null ? 0 : payload.length;
        int header = !withHeader ? 0 : n < 126 ? 2 : n < 65536 ? 4 : 10;
        byte[] rest = new byte[out.remaining() + header + n - from];
        int k = out.remaining();
        out.get(rest, 0, k);
        out.clear();
        if (withHeader) {
            ByteBuffer h = ByteBuffer.wrap(rest, k, header);
            h.put((byte) (0x80 | opcode));
            if (n < 126) {
                h.put((byte) n);
            } else if (n < 65536) {
                h.put((byte) 126).putShort((short) n);
            } else {
                h.put((byte) 127).putLong(n);
            }
        }
        if (n > from) {
            System.arraycopy(payload, from, rest, k + header, n - from);
        }
        unwritten = rest;
        unwrittenFrom = 0;
        synchronized (this) {
            queuedBytes += rest.length;
        }
        writes(sink, true);
    }

    // ------------------------------------------------------------------ reading

    /**
     * Readiness of the socket, on the I/O thread: readable (source) or writable (sink); or the
     * socket closed (the connection itself).
     */
    @Override
    public final void handleEvent(Channel channel) {
        if (channel == connection) {
            terminated();
            return;
        }
        if (channel instanceof ConduitStreamSinkChannel) {
            run();
            return;
        }
        try {
            read();
        } catch (IOException e) {
            abort();
        }
    }

    private void read() throws IOException {
        ConduitStreamSourceChannel source = connection.getSourceChannel();
        IoBuffers b = BUFFERS.get();
        byte[] a = b.in(bounds.maxMessageBytes());
        ByteBuffer in = b.inBuffer;
        int have = 0;
        if (carry != null) {
            have = carry.length;
            System.arraycopy(carry, 0, a, 0, have);
            carry = null;
        }
        for (int reads = 0; ; reads++) {
            if (reads == MAX_READS_PER_EVENT) {
                // More may wait (also inside a TLS conduit): come back after the other connections.
                source.wakeupReads();
                break;
            }
            in.limit(a.length).position(have);
            int n = source.read(in);
            if (n == -1) {
                eof = true;
                source.suspendReads();
                synchronized (this) {
                    if ((flags & CLOSING) == 0 || (flags & CLOSE_SENT) != 0) {
                        // Gone without a close frame, or gone after ours: either way, done.
                        IoUtils.safeClose(connection);
                    }
                }
                return;
            }
            if (n == 0) {
                break;
            }
            have += n;
            if (is(DISCARD)) {
                have = 0;
                continue;
            }
            int used = frames(a, have);
            if (used < 0) {
                have = 0;
                continue;
            }
            have -= used;
            if (have > 0 && used > 0) {
                System.arraycopy(a, used, a, 0, have);
            }
        }
        if (have > 0 && !is(DISCARD)) {
            carry = Arrays.copyOf(a, have);
        }
    }

    private synchronized boolean is(int flag) {
        return (flags & flag) != 0;
    }

    /**
     * Handles every whole frame in {@code a[0..len)}; returns the bytes used (the rest is a frame
     * in part), or -1 when the connection is closing and the rest is to be discarded.
     */
    private int frames(byte[] a, int len) {
        int pos = 0;
        while (len - pos >= 2) {
            int b0 = a[pos] & 0xFF;
            int b1 = a[pos + 1] & 0xFF;
            boolean fin = (b0 & 0x80) != 0;
            int op = b0 & 0x0F;
            if ((b0 & 0x70) != 0) {
                return fail(PROTOCOL_ERROR, "reserved bits set (no extension was agreed)");
            }
            if ((b1 & 0x80) == 0) {
                return fail(PROTOCOL_ERROR, "a client's frames must be masked");
            }
            int header = 6;
            long size = b1 & 0x7F;
            if (size == 126) {
                header = 8;
            } else if (size == 127) {
                header = 14;
            }
            if (len - pos < header) {
                break;
            }
            if (size == 126) {
                size = ((a[pos + 2] & 0xFF) << 8) | (a[pos + 3] & 0xFF);
            } else if (size == 127) {
                size = (long) LONGS.get(a, pos + 2);
                size = Long.reverseBytes(size);
                if (size < 0) {
                    return fail(PROTOCOL_ERROR, "frame length out of range");
                }
            }
            if (op >= OP_CLOSE) {
                if (op > OP_PONG) {
                    return fail(PROTOCOL_ERROR, "unknown opcode " + op);
                }
                if (!fin || size > 125) {
                    return fail(PROTOCOL_ERROR, "a control frame must be whole and at most 125 bytes");
                }
            } else {
                if (op > OP_BINARY) {
                    return fail(PROTOCOL_ERROR, "unknown opcode " + op);
                }
                if (op == OP_CONTINUATION ? messageOpcode < 0 : messageOpcode >= 0) {
                    return fail(PROTOCOL_ERROR, op == OP_CONTINUATION ? "continuation frame without a message"
                            : "new message inside a fragmented one");
                }
                long total = (op == OP_CONTINUATION ? messageLength : 0) + size;
                if (total > bounds.maxMessageBytes()) {
                    return fail(MESSAGE_TOO_BIG, "message too big (at most " + bounds.maxMessageBytes() + " bytes)");
                }
            }
            if (len - pos < header + size) {
                break;
            }
            int p = pos + header;
            int n = (int) size;
            if (is(CLOSING)) {
                // After our close frame only the client's close matters (RFC 6455 section 5.5.1).
                pos = p + n;
                if (op == OP_CLOSE) {
                    return peerClosed();
                }
                continue;
            }
            boolean ascii = unmask(a, p, n, (int) INTS.get(a, p - 4));
            pos = p + n;
            switch (op) {
                case OP_TEXT, OP_BINARY -> {
                    if (fin) {
                        if (op == OP_TEXT && !ascii && !Utf8.valid(a, p, n)) {
                            return fail(INVALID_DATA, "text is not UTF-8");
                        }
                        onMessage(a, p, n, op == OP_TEXT);
                    } else {
                        messageOpcode = (byte) op;
                        messageLength = 0;
                        append(a, p, n);
                    }
                }
                case OP_CONTINUATION -> {
                    append(a, p, n);
                    if (fin) {
                        byte[] m = message;
                        int length = messageLength;
                        boolean text = messageOpcode == OP_TEXT;
                        message = null;
                        messageLength = 0;
                        messageOpcode = -1;
                        if (text && !Utf8.valid(m, 0, length)) {
                            return fail(INVALID_DATA, "text is not UTF-8");
                        }
                        onMessage(m, 0, length, text);
                    }
                }
                case OP_PING -> ping(Arrays.copyOfRange(a, p, p + n));
                case OP_CLOSE -> {
                    return closeReceived(a, p, n);
                }
                default -> {
                    // a pong: nothing to do
                }
            }
            if (is(CLOSING)) {
                return pos;
            }
        }
        return pos;
    }

    /** Unmasks in place, eight bytes at a time; returns whether every byte is ASCII. */
    private static boolean unmask(byte[] a, int off, int len, int mask) {
        long mask8 = (mask & 0xFFFFFFFFL) | ((long) mask << 32);
        long high = 0;
        int i = 0;
        for (; i + 8 <= len; i += 8) {
            long v = (long) LONGS.get(a, off + i) ^ mask8;
            LONGS.set(a, off + i, v);
            high |= v;
        }
        for (; i < len; i++) {
            byte v = (byte) (a[off + i] ^ (mask >>> ((i & 3) << 3)));
            a[off + i] = v;
            high |= v & 0x80;
        }
        return (high & 0x8080808080808080L) == 0;
    }

    private void append(byte[] a, int off, int n) {
        if (message == null) {
            message = new byte[Math.max(n, 256)];
        } else if (messageLength + n > message.length) {
            message = Arrays.copyOf(message, Math.min(bounds.maxMessageBytes(), Math.max(messageLength + n, 2 * message.length)));
        }
        System.arraycopy(a, off, message, messageLength, n);
        messageLength += n;
    }

    private void ping(byte[] payload) {
        boolean schedule;
        synchronized (this) {
            if ((flags & CLOSING) != 0) {
                return;
            }
            pong = payload;
            schedule = schedule();
        }
        if (schedule) {
            flushLater();
        }
    }

    /** The client's close frame: answered with its code (or a 1002/1007 if it is malformed). */
    private int closeReceived(byte[] a, int off, int n) {
        if (n == 0) {
            close0(new byte[0]);
            return peerClosed();
        }
        int code = n >= 2 ? ((a[off] & 0xFF) << 8) | (a[off + 1] & 0xFF) : -1;
        if (n == 1 || !validCloseCode(code)) {
            return fail(PROTOCOL_ERROR, "invalid close code");
        }
        if (!Utf8.valid(a, off + 2, n - 2)) {
            return fail(INVALID_DATA, "close reason is not UTF-8");
        }
        close0(new byte[] {(byte) (code >>> 8), (byte) code});
        return peerClosed();
    }

    /** The client's close arrived: once ours is out, the connection ends (the server closes first). */
    private int peerClosed() {
        boolean done;
        synchronized (this) {
            flags |= PEER_CLOSED | DISCARD;
            done = (flags & CLOSE_SENT) != 0;
        }
        if (done) {
            IoUtils.safeClose(connection);
        }
        return -1;
    }

    private void close0(byte[] payload) {
        boolean schedule;
        synchronized (this) {
            if ((flags & CLOSING) != 0) {
                return;
            }
            schedule = closeLocked(NORMAL, null);
            closePayload = payload;
        }
        if (schedule) {
            flushLater();
        }
        onClosing();
    }

    /** Codes a client may send (RFC 6455 section 7.4 and the IANA registry). */
    static boolean validCloseCode(int code) {
        return code >= 1000 && code <= 1003 || code >= 1007 && code <= 1014 || code >= 3000 && code <= 4999;
    }

    /** Fails the WebSocket connection (RFC 6455 section 7.1.7) with a close frame; returns -1. */
    private int fail(int code, String reason) {
        message = null;
        messageLength = 0;
        messageOpcode = -1;
        synchronized (this) {
            flags |= DISCARD; // what follows a broken frame cannot be framed
        }
        close(code, reason);
        return -1;
    }

    // ------------------------------------------------------------------ the end

    private void closeTimedOut() {
        IoUtils.safeClose(connection);
    }

    /** The connection failed (an I/O error): it is closed without a close frame. */
    private void abort() {
        IoUtils.safeClose(connection);
    }

    private void terminated() {
        synchronized (this) {
            if ((flags & TERMINATED) != 0) {
                return;
            }
            flags |= TERMINATED | CLOSING;
            queue = null;
            queueCount = 0;
            queuedBytes = 0;
            pong = null;
        }
        unwritten = null;
        carry = null;
        message = null;
        onClosed();
    }

    /** One I/O thread's buffers, shared by every connection it serves, and its connections to write. */
    private static final class IoBuffers implements Runnable {
        private final ArrayList<ServerWebSocket> toFlush = new ArrayList<>();
        private boolean flushQueued;

        /** Frames are read into this array (grown to the largest bound asked for). */
        byte[] in = new byte[0];
        ByteBuffer inBuffer = ByteBuffer.wrap(in);
        /** Frames are written from this buffer: the copy the kernel would make of a heap buffer. */
        final ByteBuffer out = ByteBuffer.allocateDirect(64 * 1024);

        void flushLater(ServerWebSocket socket, XnioIoThread io) {
            toFlush.add(socket);
            if (!flushQueued) {
                flushQueued = true;
                io.execute(this);
            }
        }

        /** The end of the loop turn: every connection that has something to send writes it. */
        @Override
        public void run() {
            flushQueued = false;
            for (int i = 0; i < toFlush.size(); i++) {
                toFlush.get(i).run();
            }
            toFlush.clear();
        }

        byte[] in(int maxMessageBytes) {
            // A whole frame of the largest message always fits, with room for more behind it.
            int want = maxMessageBytes + 14 + 64 * 1024;
            if (in.length < want) {
                in = new byte[want];
                inBuffer = ByteBuffer.wrap(in);
            }
            return in;
        }
    }
}

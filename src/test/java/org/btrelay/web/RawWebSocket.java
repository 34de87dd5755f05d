package org.btrelay.web;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A WebSocket client on a plain socket, for what a well-behaved client library will not send:
 * text frames that are not UTF-8, or one frame written in parts with pauses between them.
 */
final class RawWebSocket implements AutoCloseable {
    /** One frame from the server. */
    record Frame(int opcode, byte[] payload) {
        String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        /** The status code of a close frame. */
        int closeCode() {
            return payload.length >= 2 ? ByteBuffer.wrap(payload).getShort() & 0xFFFF : 1005;
        }
    }

    static final int CONTINUATION = 0;
    static final int TEXT = 1;
    static final int BINARY = 2;
    static final int CLOSE = 8;
    static final int PING = 9;
    static final int PONG = 10;

    private final Socket socket;
    private final OutputStream out;
    private final DataInputStream in;

    RawWebSocket(String wsUrl) throws IOException {
        this(wsUrl, 0);
    }

    /** With {@code receiveBuffer > 0}, the socket's receive buffer is that small (a slow reader). */
    RawWebSocket(String wsUrl, int receiveBuffer) throws IOException {
        URI uri = URI.create(wsUrl);
        if (!uri.getHost().startsWith("127.")) {
            throw new IllegalArgumentException("loopback only: " + wsUrl);
        }
        socket = new Socket();
        if (receiveBuffer > 0) {
            socket.setReceiveBufferSize(receiveBuffer);
        }
        socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), 5000);
        socket.setSoTimeout(5000);
        out = socket.getOutputStream();
        in = new DataInputStream(socket.getInputStream());
        byte[] key = new byte[16];
        ThreadLocalRandom.current().nextBytes(key);
        String path = uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        out.write(("GET " + path + " HTTP/1.1\r\nHost: " + uri.getHost() + ":" + uri.getPort()
                + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: "
                + Base64.getEncoder().encodeToString(key) + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        String head = readHead();
        if (!head.startsWith("HTTP/1.1 101")) {
            throw new IOException("no upgrade: " + head);
        }
    }

    private String readHead() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int c = in.read();
            if (c < 0) {
                throw new IOException("closed during the handshake");
            }
            b.write(c);
            matched = (c == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (c == '\r' ? 1 : 0);
        }
        return b.toString(StandardCharsets.US_ASCII);
    }

    /** Sends one masked text frame carrying {@code payload} in a single write. */
    void sendText(byte[] payload) throws IOException {
        sendText(payload, 0, 0);
    }

    /**
     * Sends one masked text frame; with {@code splitAt > 0} the first {@code splitAt} bytes of the
     * frame (header included) go in one write and the rest in another after {@code pauseMillis}.
     */
    void sendText(byte[] payload, int splitAt, long pauseMillis) throws IOException {
        byte[] frame = frame(true, TEXT, payload);
        if (splitAt <= 0 || splitAt >= frame.length) {
            out.write(frame);
            out.flush();
            return;
        }
        writeInTwo(frame, splitAt, pauseMillis);
    }

    /**
     * Sends one text message as several WebSocket frames (a text frame without FIN, continuation
     * frames, the last with FIN), the payload cut at {@code cuts}, each frame written on its own.
     */
    void sendFragmentedText(byte[] payload, int... cuts) throws IOException {
        int from = 0;
        for (int i = 0; i <= cuts.length; i++) {
            int to = i < cuts.length ? cuts[i] : payload.length;
            out.write(frame(i == cuts.length, i == 0 ? TEXT : 0, java.util.Arrays.copyOfRange(payload, from, to)));
            out.flush();
            from = to;
        }
    }

    /** Sends any frame: {@code first} is the first byte (FIN, reserved bits, opcode), masked or not. */
    void sendFrame(int first, boolean masked, byte[] payload) throws IOException {
        out.write(frame(first, masked, payload));
        out.flush();
    }

    /** Sends several frames in one write (one TCP segment, as far as the kernel is concerned). */
    void sendTogether(byte[]... frames) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (byte[] f : frames) {
            all.write(f);
        }
        out.write(all.toByteArray());
        out.flush();
    }

    /** A close frame's payload: the code, then the reason's bytes. */
    static byte[] closePayload(int code, byte[] reason) {
        byte[] p = new byte[2 + reason.length];
        p[0] = (byte) (code >>> 8);
        p[1] = (byte) code;
        System.arraycopy(reason, 0, p, 2, reason.length);
        return p;
    }

    static byte[] frame(boolean fin, int opcode, byte[] payload) {
        return frame((fin ? 0x80 : 0) | opcode, true, payload);
    }

    static byte[] frame(int first, boolean masked, byte[] payload) {
        ByteArrayOutputStream f = new ByteArrayOutputStream();
        f.write(first);
        int m = masked ? 0x80 : 0;
        int n = payload.length;
        if (n < 126) {
            f.write(m | n);
        } else if (n < 65536) {
            f.write(m | 126);
            f.write(n >>> 8);
            f.write(n);
        } else {
            f.write(m | 127);
            f.write(ByteBuffer.allocate(8).putLong(n).array(), 0, 8);
        }
        byte[] mask = new byte[4];
        if (masked) {
            ThreadLocalRandom.current().nextBytes(mask);
            f.write(mask, 0, 4);
        }
        for (int i = 0; i < n; i++) {
            f.write(payload[i] ^ mask[i & 3]);
        }
        return f.toByteArray();
    }

    private void writeInTwo(byte[] frame, int splitAt, long pauseMillis) throws IOException {
        out.write(frame, 0, splitAt);
        out.flush();
        try {
            Thread.sleep(pauseMillis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        out.write(frame, splitAt, frame.length - splitAt);
        out.flush();
    }

    /** The next frame from the server (within the socket's 5 s timeout). */
    Frame next() throws IOException {
        int b0 = in.readUnsignedByte();
        int b1 = in.readUnsignedByte();
        long len = b1 & 0x7F;
        if (len == 126) {
            len = in.readUnsignedShort();
        } else if (len == 127) {
            len = in.readLong();
        }
        byte[] payload = new byte[(int) len];
        in.readFully(payload);
        return new Frame(b0 & 0x0F, payload);
    }

    /** Reads frames until the server's close frame and returns its code. */
    int awaitClose() throws IOException {
        for (;;) {
            Frame f = next();
            if (f.opcode() == CLOSE) {
                return f.closeCode();
            }
        }
    }

    /** Whether the server closed the connection (end of stream) before anything else arrived. */
    boolean atEnd() throws IOException {
        return in.read() == -1;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}

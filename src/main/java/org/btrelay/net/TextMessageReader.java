package org.btrelay.net;

import io.undertow.websockets.core.StreamSourceFrameChannel;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.xnio.ChannelListener;
import org.xnio.IoUtils;

/**
 * Reads one connection's WebSocket text messages as UTF-8 bytes, for a parser that takes bytes:
 * no decoding into a {@code String} and no copy of it. Undertow unmasks the frames and checks
 * their UTF-8 on the way in (it closes a connection that sends invalid UTF-8 with 1007).
 *
 * <p>A message is read into a buffer of the reading thread, reused for every message of every
 * connection that thread serves. Only a message that arrives in parts is kept with its connection
 * (the part read so far) until the rest arrives; an idle connection holds nothing. A message longer
 * than the bound is refused as soon as the bound is passed, without reading the rest.
 *
 * <p>Not thread-safe: one connection's messages are read on its I/O thread, one at a time.
 */
public final class TextMessageReader {
    /** Receives a whole message; the array is only valid during the call. */
    public interface Sink {
        void message(byte[] utf8, int length);
    }

    /** Told when a message is longer than the bound; the rest of it is discarded. */
    public interface TooBig {
        void tooBig(int maxBytes);
    }

    private static final ThreadLocal<ByteBuffer[]> BUFFERS = ThreadLocal.withInitial(() -> new ByteBuffer[1]);

    private final int maxBytes;
    private final Sink sink;
    private final TooBig tooBig;
    /** Set when a message first arrives in parts (few connections ever need it). */
    private ChannelListener<StreamSourceFrameChannel> resume;
    /** The part of a message read so far, while the rest has not arrived. */
    private byte[] partial;

    public TextMessageReader(int maxBytes, Sink sink, TooBig tooBig) {
        this.maxBytes = maxBytes;
        this.sink = sink;
        this.tooBig = tooBig;
    }

    /**
     * Reads the message that {@code frame} starts, or as much of it as has arrived.
     *
     * @throws IOException when the connection fails or the text is not valid UTF-8
     */
    public void read(StreamSourceFrameChannel frame) throws IOException {
        ByteBuffer buf = threadBuffer(maxBytes + 1);
        if (partial != null) {
            buf.put(partial);
            partial = null;
        }
        for (;;) {
            int n = frame.read(buf);
            if (buf.position() > maxBytes) {
                IoUtils.safeClose(frame);
                tooBig.tooBig(maxBytes);
                return;
            }
            if (n == -1) {
                sink.message(buf.array(), buf.position());
                return;
            }
            if (n == 0) {
                partial = Arrays.copyOf(buf.array(), buf.position());
                if (resume == null) {
                    resume = this::resume;
                }
                frame.getReadSetter().set(resume);
                frame.resumeReads();
                return;
            }
        }
    }

    private void resume(StreamSourceFrameChannel frame) {
        if (partial == null) {
            return;
        }
        try {
            read(frame);
        } catch (IOException e) {
            partial = null;
            IoUtils.safeClose(frame.getWebSocketChannel());
        }
    }

    /** The calling thread's buffer, cleared, with room for at least {@code capacity} bytes. */
    private static ByteBuffer threadBuffer(int capacity) {
        ByteBuffer[] slot = BUFFERS.get();
        ByteBuffer buf = slot[0];
        if (buf == null || buf.capacity() < capacity) {
            buf = ByteBuffer.allocate(capacity);
            slot[0] = buf;
        }
        buf.clear().limit(capacity);
        return buf;
    }
}

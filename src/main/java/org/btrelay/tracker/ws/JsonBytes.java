package org.btrelay.tracker.ws;

import org.btrelay.tracker.Id20;

/**
 * Writes the parts of a fixed-shape JSON message into an array of its exact size, which the
 * caller works out first from the same parts. Ids are written as JSON strings of their Latin-1
 * form (WebTorrent's wire form): bytes 0x80..0xFF become two-byte UTF-8, and the quote, the
 * backslash and control characters are escaped the way Jackson escapes them (so the output is
 * the same, byte for byte, as the generator's).
 */
final class JsonBytes {
    private static final byte[] HEX = "0123456789ABCDEF".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    /** Control characters with a two-character escape. */
    private static final byte[] SHORT = new byte[0x20];

    static {
        SHORT['\b'] = 'b';
        SHORT['\t'] = 't';
        SHORT['\n'] = 'n';
        SHORT['\f'] = 'f';
        SHORT['\r'] = 'r';
    }

    private final byte[] out;
    private int n;

    JsonBytes(int size) {
        out = new byte[size];
    }

    JsonBytes raw(byte[] ascii) {
        System.arraycopy(ascii, 0, out, n, ascii.length);
        n += ascii.length;
        return this;
    }

    JsonBytes raw(char ascii) {
        out[n++] = (byte) ascii;
        return this;
    }

    JsonBytes integer(int value) {
        long v = value;
        if (v < 0) {
            out[n++] = '-';
            v = -v;
        }
        int end = n + digits(v);
        for (int i = end - 1; i >= n; i--) {
            out[i] = (byte) ('0' + v % 10);
            v /= 10;
        }
        n = end;
        return this;
    }

    /** The id as a JSON string, quotes included. */
    JsonBytes id(Id20 id) {
        out[n++] = '"';
        for (int i = 0; i < Id20.LENGTH; i++) {
            int c = id.byteAt(i) & 0xFF;
            if (c >= 0x80) {
                out[n++] = (byte) (0xC0 | c >>> 6);
                out[n++] = (byte) (0x80 | c & 0x3F);
            } else if (c == '"' || c == '\\') {
                out[n++] = '\\';
                out[n++] = (byte) c;
            } else if (c < 0x20 && SHORT[c] != 0) {
                out[n++] = '\\';
                out[n++] = SHORT[c];
            } else if (c < 0x20) {
                out[n++] = '\\';
                out[n++] = 'u';
                out[n++] = '0';
                out[n++] = '0';
                out[n++] = HEX[c >>> 4];
                out[n++] = HEX[c & 0xF];
            } else {
                out[n++] = (byte) c;
            }
        }
        out[n++] = '"';
        return this;
    }

    byte[] bytes() {
        if (n != out.length) {
            throw new IllegalStateException("wrote " + n + " of " + out.length + " bytes");
        }
        return out;
    }

    /** The bytes {@link #id} writes for {@code id}. */
    static int idSize(Id20 id) {
        int size = 2;
        for (int i = 0; i < Id20.LENGTH; i++) {
            int c = id.byteAt(i) & 0xFF;
            size += c >= 0x80 || c == '"' || c == '\\' || c < 0x20 && SHORT[c] != 0 ? 2 : c < 0x20 ? 6 : 1;
        }
        return size;
    }

    /** The bytes {@link #integer} writes for {@code v}. */
    static int intSize(int v) {
        return v < 0 ? 1 + digits(-(long) v) : digits(v);
    }

    private static int digits(long v) {
        int d = 1;
        while (v >= 10) {
            v /= 10;
            d++;
        }
        return d;
    }
}

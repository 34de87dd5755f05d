package org.btrelay.tracker;

import java.util.HexFormat;

/**
 * A 20-byte identifier: an info_hash, peer_id or offer_id.
 *
 * <p>Kept as two longs and an int rather than a byte array: equality and hashing touch no
 * array, and a peer's ids cost 40 bytes less each, which matters at 50,000 peers.
 */
public final class Id20 implements Comparable<Id20> {
    public static final int LENGTH = 20;

    private final long a;
    private final long b;
    private final int c;

    private Id20(long a, long b, int c) {
        this.a = a;
        this.b = b;
        this.c = c;
    }

    public static Id20 of(byte[] bytes) {
        if (bytes.length != LENGTH) {
            throw new IllegalArgumentException("expected 20 bytes, got " + bytes.length);
        }
        return new Id20(readLong(bytes, 0), readLong(bytes, 8), (int) readBits(bytes, 16, 4));
    }

    /**
     * Reads the WebTorrent wire form: 20 characters, each U+0000..U+00FF standing for one byte.
     *
     * @return the id, or {@code null} if the length is not 20 or a character is above U+00FF
     */
    public static Id20 fromLatin1(CharSequence s) {
        if (s == null || s.length() != LENGTH) {
            return null;
        }
        byte[] bytes = new byte[LENGTH];
        for (int i = 0; i < LENGTH; i++) {
            char ch = s.charAt(i);
            if (ch > 0xFF) {
                return null;
            }
            bytes[i] = (byte) ch;
        }
        return of(bytes);
    }

    /** Parses 40 hex digits; {@code null} if the text is not exactly that. */
    public static Id20 fromHex(String hex) {
        if (hex == null || hex.length() != 2 * LENGTH) {
            return null;
        }
        try {
            return of(HexFormat.of().parseHex(hex));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    public byte[] toBytes() {
        byte[] out = new byte[LENGTH];
        writeBits(out, 0, a, 8);
        writeBits(out, 8, b, 8);
        writeBits(out, 16, c, 4);
        return out;
    }

    /** The WebTorrent wire form (one char per byte). */
    public String toLatin1() {
        char[] chars = new char[LENGTH];
        toLatin1(chars);
        return new String(chars);
    }

    /** Writes the wire form into the first 20 chars of {@code dst}, for writers that reuse a buffer. */
    public void toLatin1(char[] dst) {
        for (int i = 0; i < 8; i++) {
            dst[i] = (char) ((a >>> (56 - 8 * i)) & 0xFF);
            dst[8 + i] = (char) ((b >>> (56 - 8 * i)) & 0xFF);
        }
        for (int i = 0; i < 4; i++) {
            dst[16 + i] = (char) ((c >>> (24 - 8 * i)) & 0xFF);
        }
    }

    public String toHex() {
        return HexFormat.of().formatHex(toBytes());
    }

    /** One byte of the id; used to read a client's name from its peer_id prefix. */
    public byte byteAt(int index) {
        if (index < 0 || index >= LENGTH) {
            throw new IndexOutOfBoundsException(index);
        }
        if (index < 8) {
            return (byte) (a >>> (56 - 8 * index));
        }
        if (index < 16) {
            return (byte) (b >>> (56 - 8 * (index - 8)));
        }
        return (byte) (c >>> (24 - 8 * (index - 16)));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Id20 other && a == other.a && b == other.b && c == other.c;
    }

    @Override
    public int hashCode() {
        // The bytes are hashes or random ids already; mixing all three words is enough.
        long h = a * 0x9E3779B97F4A7C15L ^ b * 0xC2B2AE3D27D4EB4FL ^ c;
        return (int) (h ^ (h >>> 32));
    }

    @Override
    public int compareTo(Id20 o) {
        int r = Long.compareUnsigned(a, o.a);
        if (r == 0) {
            r = Long.compareUnsigned(b, o.b);
        }
        return r != 0 ? r : Integer.compareUnsigned(c, o.c);
    }

    @Override
    public String toString() {
        return toHex();
    }

    private static long readLong(byte[] bytes, int offset) {
        return readBits(bytes, offset, 8);
    }

    private static long readBits(byte[] bytes, int offset, int count) {
        long v = 0;
        for (int i = 0; i < count; i++) {
            v = (v << 8) | (bytes[offset + i] & 0xFF);
        }
        return v;
    }

    private static void writeBits(byte[] out, int offset, long v, int count) {
        for (int i = count - 1; i >= 0; i--) {
            out[offset + i] = (byte) v;
            v >>>= 8;
        }
    }
}

package org.btrelay.bench;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The little JSON the generator needs, without allocating a tree per message: a byte builder for
 * the requests it sends and a scanner that reads the top-level fields of a tracker message and
 * skips the rest (an offer's SDP is stepped over, never decoded).
 */
final class Json {
    private Json() {}

    /** A growable byte buffer that JSON text is written into. */
    static final class Out {
        byte[] buf;
        int len;

        Out(int capacity) {
            buf = new byte[capacity];
        }

        void reset() {
            len = 0;
        }

        private void ensure(int more) {
            if (len + more > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + more));
            }
        }

        /** Appends text that is already valid JSON (ASCII). */
        Out raw(String ascii) {
            int n = ascii.length();
            ensure(n);
            ascii.getBytes(0, n, buf, len);
            len += n;
            return this;
        }

        Out raw(byte[] bytes) {
            ensure(bytes.length);
            System.arraycopy(bytes, 0, buf, len, bytes.length);
            len += bytes.length;
            return this;
        }

        Out number(long v) {
            return raw(Long.toString(v));
        }

        /** Appends a quoted JSON string; anything outside printable ASCII is written as an escape. */
        Out string(String s) {
            ensure(s.length() * 6 + 2);
            buf[len++] = '"';
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c == '"' || c == '\\') {
                    buf[len++] = '\\';
                    buf[len++] = (byte) c;
                } else if (c == '\n' || c == '\r' || c == '\t') {
                    buf[len++] = '\\';
                    buf[len++] = (byte) (c == '\n' ? 'n' : c == '\r' ? 'r' : 't');
                } else if (c < 0x20 || c > 0x7E) {
                    buf[len++] = '\\';
                    buf[len++] = 'u';
                    buf[len++] = HEX[(c >> 12) & 0xF];
                    buf[len++] = HEX[(c >> 8) & 0xF];
                    buf[len++] = HEX[(c >> 4) & 0xF];
                    buf[len++] = HEX[c & 0xF];
                } else {
                    buf[len++] = (byte) c;
                }
            }
            buf[len++] = '"';
            return this;
        }

        @Override
        public String toString() {
            return new String(buf, 0, len, StandardCharsets.UTF_8);
        }
    }

    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    // ---------------------------------------------------------------- reading

    /** What a message from a tracker is, as far as the generator cares. */
    enum Kind { ANNOUNCE_REPLY, OFFER, ANSWER, SCRAPE_REPLY, FAILURE, OTHER, MALFORMED }

    /** The fields of one tracker message; reused from message to message. */
    static final class Message {
        Kind kind;
        String action;
        String failure;
        String infoHash;
        String peerId;
        String offerId;
        boolean hasOffer;
        boolean hasAnswer;
        boolean hasInterval;

        private void clear() {
            kind = null;
            action = null;
            failure = null;
            infoHash = null;
            peerId = null;
            offerId = null;
            hasOffer = false;
            hasAnswer = false;
            hasInterval = false;
        }
    }

    private static final byte[] K_ACTION = bytes("action");
    private static final byte[] K_FAILURE = bytes("failure reason");
    private static final byte[] K_INFO_HASH = bytes("info_hash");
    private static final byte[] K_PEER_ID = bytes("peer_id");
    private static final byte[] K_OFFER_ID = bytes("offer_id");
    private static final byte[] K_OFFER = bytes("offer");
    private static final byte[] K_ANSWER = bytes("answer");
    private static final byte[] K_INTERVAL = bytes("interval");
    private static final byte[] K_COMPLETE = bytes("complete");

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** Thrown for text that is not a JSON object; cheap (no stack trace). */
    private static final class Malformed extends Exception {
        static final Malformed INSTANCE = new Malformed();

        private Malformed() {
            super("malformed", null, false, false);
        }
    }

    /** Reads one message (UTF-8 JSON) into {@code m}; never throws. */
    static void scan(byte[] b, int off, int len, Message m) {
        m.clear();
        try {
            new Scanner(b, off, off + len).message(m);
        } catch (Malformed | RuntimeException e) {
            m.kind = Kind.MALFORMED;
            return;
        }
        if (m.failure != null) {
            m.kind = Kind.FAILURE;
        } else if ("scrape".equals(m.action)) {
            m.kind = Kind.SCRAPE_REPLY;
        } else if ("announce".equals(m.action)) {
            m.kind = m.hasOffer ? Kind.OFFER : m.hasAnswer ? Kind.ANSWER : m.hasInterval ? Kind.ANNOUNCE_REPLY : Kind.OTHER;
        } else {
            m.kind = Kind.OTHER;
        }
    }

    private static final class Scanner {
        private final byte[] b;
        private int i;
        private final int end;
        private final StringBuilder sb = new StringBuilder(24);

        Scanner(byte[] b, int from, int end) {
            this.b = b;
            this.i = from;
            this.end = end;
        }

        void message(Message m) throws Malformed {
            ws();
            expect('{');
            ws();
            if (peek() == '}') {
                i++;
                return;
            }
            while (true) {
                ws();
                expect('"');
                int keyStart = i;
                skipStringBody();
                int keyEnd = i - 1;
                ws();
                expect(':');
                ws();
                if (is(keyStart, keyEnd, K_ACTION)) {
                    m.action = stringOrNull();
                } else if (is(keyStart, keyEnd, K_FAILURE)) {
                    m.failure = stringOrNull();
                    if (m.failure == null) {
                        m.failure = "";
                    }
                } else if (is(keyStart, keyEnd, K_INFO_HASH) && peek() == '"') {
                    m.infoHash = stringOrNull();
                } else if (is(keyStart, keyEnd, K_PEER_ID)) {
                    m.peerId = stringOrNull();
                } else if (is(keyStart, keyEnd, K_OFFER_ID)) {
                    m.offerId = stringOrNull();
                } else if (is(keyStart, keyEnd, K_OFFER)) {
                    m.hasOffer = peek() == '{';
                    skipValue();
                } else if (is(keyStart, keyEnd, K_ANSWER)) {
                    m.hasAnswer = peek() == '{';
                    skipValue();
                } else if (is(keyStart, keyEnd, K_INTERVAL) || is(keyStart, keyEnd, K_COMPLETE)) {
                    m.hasInterval = true;
                    skipValue();
                } else {
                    skipValue();
                }
                ws();
                byte c = next();
                if (c == '}') {
                    return;
                }
                if (c != ',') {
                    throw Malformed.INSTANCE;
                }
            }
        }

        private boolean is(int from, int to, byte[] key) {
            return Arrays.equals(b, from, to, key, 0, key.length);
        }

        private byte peek() throws Malformed {
            if (i >= end) {
                throw Malformed.INSTANCE;
            }
            return b[i];
        }

        private byte next() throws Malformed {
            if (i >= end) {
                throw Malformed.INSTANCE;
            }
            return b[i++];
        }

        private void expect(char c) throws Malformed {
            if (next() != c) {
                throw Malformed.INSTANCE;
            }
        }

        private void ws() {
            while (i < end && (b[i] == ' ' || b[i] == '\n' || b[i] == '\r' || b[i] == '\t')) {
                i++;
            }
        }

        /** Past the closing quote of a string whose opening quote was consumed. */
        private void skipStringBody() throws Malformed {
            while (true) {
                byte c = next();
                if (c == '"') {
                    return;
                }
                if (c == '\\') {
                    next();
                }
            }
        }

        private void skipValue() throws Malformed {
            byte c = peek();
            if (c == '"') {
                i++;
                skipStringBody();
            } else if (c == '{' || c == '[') {
                int depth = 0;
                do {
                    c = next();
                    if (c == '"') {
                        skipStringBody();
                    } else if (c == '{' || c == '[') {
                        depth++;
                    } else if (c == '}' || c == ']') {
                        depth--;
                    }
                } while (depth > 0);
            } else {
                while (i < end && b[i] != ',' && b[i] != '}' && b[i] != ']' && b[i] != ' ') {
                    i++;
                }
            }
        }

        /** A string value (decoded), or {@code null} for any other value (which is skipped). */
        private String stringOrNull() throws Malformed {
            if (peek() != '"') {
                skipValue();
                return null;
            }
            i++;
            sb.setLength(0);
            while (true) {
                int c = next() & 0xFF;
                if (c == '"') {
                    return sb.toString();
                }
                if (c == '\\') {
                    int e = next();
                    switch (e) {
                        case 'n' -> sb.append('\n');
                        case 'r' -> sb.append('\r');
                        case 't' -> sb.append('\t');
                        case 'b' -> sb.append('\b');
                        case 'f' -> sb.append('\f');
                        case 'u' -> {
                            if (i + 4 > end) {
                                throw Malformed.INSTANCE;
                            }
                            sb.append((char) Integer.parseInt(new String(b, i, 4, StandardCharsets.US_ASCII), 16));
                            i += 4;
                        }
                        default -> sb.append((char) e);
                    }
                } else if (c < 0x80) {
                    sb.append((char) c);
                } else if (c >= 0xC0 && c < 0xE0) {
                    sb.append((char) (((c & 0x1F) << 6) | (next() & 0x3F)));
                } else if (c >= 0xE0 && c < 0xF0) {
                    int c2 = next() & 0x3F;
                    sb.append((char) (((c & 0x0F) << 12) | (c2 << 6) | (next() & 0x3F)));
                } else if (c >= 0xF0) {
                    int c2 = next() & 0x3F;
                    int c3 = next() & 0x3F;
                    sb.appendCodePoint(((c & 0x07) << 18) | (c2 << 12) | (c3 << 6) | (next() & 0x3F));
                } else {
                    throw Malformed.INSTANCE;
                }
            }
        }
    }
}

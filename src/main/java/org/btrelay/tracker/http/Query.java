package org.btrelay.tracker.http;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A raw query string decoded to bytes. Tracker parameters such as info_hash are percent-encoded
 * binary, so they must not go through a UTF-8 decoder: each %XX is one byte.
 */
final class Query {
    private final Map<String, List<byte[]>> params = new LinkedHashMap<>();

    /** @throws IllegalArgumentException on a malformed escape or more than {@code maxParams} parameters */
    static Query parse(String raw, int maxParams) {
        Query q = new Query();
        if (raw == null || raw.isEmpty()) {
            return q;
        }
        int count = 0;
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            if (++count > maxParams) {
                throw new IllegalArgumentException("too many query parameters");
            }
            int eq = pair.indexOf('=');
            String key = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            q.params.computeIfAbsent(key, k -> new ArrayList<>(1)).add(value.getBytes(StandardCharsets.ISO_8859_1));
        }
        return q;
    }

    /** Percent-decoding to one char per byte (ISO-8859-1), so binary values survive untouched. */
    private static String decode(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%') {
                int hi = i + 2 < s.length() ? hex(s.charAt(i + 1)) : -1;
                int lo = hi >= 0 ? hex(s.charAt(i + 2)) : -1;
                if (lo < 0) {
                    throw new IllegalArgumentException("malformed percent-escape in the query");
                }
                out.append((char) (hi << 4 | lo));
                i += 2;
            } else if (c == '+') {
                out.append(' ');
            } else if (c > 0xFF) {
                throw new IllegalArgumentException("invalid character in the query");
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static int hex(char c) {
        return c < 0x80 ? Character.digit(c, 16) : -1;
    }

    byte[] bytes(String key) {
        List<byte[]> v = params.get(key);
        return v == null ? null : v.get(0);
    }

    List<byte[]> all(String key) {
        return params.getOrDefault(key, List.of());
    }

    String text(String key) {
        byte[] b = bytes(key);
        return b == null ? null : new String(b, StandardCharsets.ISO_8859_1);
    }

    /** A non-negative integer parameter, {@code ifAbsent} when missing. */
    long number(String key, long ifAbsent) {
        String s = text(key);
        if (s == null || s.isEmpty()) {
            return ifAbsent;
        }
        try {
            long v = Long.parseLong(s);
            if (v < 0) {
                throw new IllegalArgumentException("invalid " + key);
            }
            return v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("invalid " + key);
        }
    }
}

package org.btrelay.tracker.http;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * A bencode writer (BEP 3) for tracker responses: integers, byte strings, lists and dictionaries
 * whose keys it sorts as raw bytes. Values may be {@code Long}/{@code Integer}, {@code byte[]},
 * {@code String} (written as UTF-8), {@code List} and {@code Map<String|byte[], ?>}.
 */
public final class Bencode {
    private Bencode() {}

    public static byte[] encode(Object value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        write(out, value);
        return out.toByteArray();
    }

    private static void write(ByteArrayOutputStream out, Object value) {
        if (value instanceof Integer || value instanceof Long) {
            out.write('i');
            ascii(out, value.toString());
            out.write('e');
        } else if (value instanceof byte[] bytes) {
            bytes(out, bytes);
        } else if (value instanceof String s) {
            bytes(out, s.getBytes(StandardCharsets.UTF_8));
        } else if (value instanceof List<?> list) {
            out.write('l');
            for (Object item : list) {
                write(out, item);
            }
            out.write('e');
        } else if (value instanceof Map<?, ?> map) {
            out.write('d');
            map.entrySet().stream()
                    .map(e -> Map.entry(keyBytes(e.getKey()), valueOf(e.getValue())))
                    .sorted(Comparator.comparing(Map.Entry::getKey, Arrays::compareUnsigned))
                    .forEach(e -> {
                        bytes(out, e.getKey());
                        write(out, e.getValue());
                    });
            out.write('e');
        } else {
            throw new IllegalArgumentException("cannot bencode " + (value == null ? "null" : value.getClass()));
        }
    }

    private static Object valueOf(Object value) {
        if (value == null) {
            throw new IllegalArgumentException("cannot bencode null");
        }
        return value;
    }

    private static byte[] keyBytes(Object key) {
        if (key instanceof byte[] b) {
            return b;
        }
        if (key instanceof String s) {
            return s.getBytes(StandardCharsets.UTF_8);
        }
        throw new IllegalArgumentException("dictionary keys must be strings or bytes");
    }

    private static void bytes(ByteArrayOutputStream out, byte[] bytes) {
        ascii(out, Integer.toString(bytes.length));
        out.write(':');
        out.write(bytes, 0, bytes.length);
    }

    private static void ascii(ByteArrayOutputStream out, String s) {
        for (int i = 0; i < s.length(); i++) {
            out.write(s.charAt(i));
        }
    }
}

package org.btrelay.net;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Strict UTF-8 validation (RFC 3629: no overlong forms, no surrogates, nothing above U+10FFFF),
 * eight bytes at a time while the text is ASCII, which tracker messages mostly are.
 */
public final class Utf8 {
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long HIGH_BITS = 0x8080808080808080L;

    private Utf8() {}

    /** Whether {@code length} bytes at the start of {@code bytes} are well-formed UTF-8. */
    public static boolean valid(byte[] bytes, int length) {
        return valid(bytes, 0, length);
    }

    /** Whether {@code len} bytes of {@code a} at {@code off} are well-formed UTF-8. */
    public static boolean valid(byte[] a, int off, int len) {
        int i = off;
        int end = off + len;
        while (i < end) {
            while (i + 8 <= end && ((long) LONGS.get(a, i) & HIGH_BITS) == 0) {
                i += 8;
            }
            while (i < end && a[i] >= 0) {
                i++;
                if ((i & 7) == 0) {
                    break; // back to whole words
                }
            }
            if (i < end && a[i] < 0) {
                i = sequence(a, i, end);
                if (i < 0) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Checks the multi-byte sequence at {@code i}; returns where the next one starts, or -1. */
    private static int sequence(byte[] a, int i, int end) {
        int b = a[i] & 0xFF;
        if (b < 0xC2) {
            return -1; // a continuation byte, or the lead of an overlong two-byte form
        }
        if (b < 0xE0) {
            return i + 1 < end && continuation(a[i + 1]) ? i + 2 : -1;
        }
        if (b < 0xF0) {
            if (i + 2 >= end) {
                return -1;
            }
            int b1 = a[i + 1] & 0xFF;
            if (b == 0xE0 && b1 < 0xA0 || b == 0xED && b1 >= 0xA0) {
                return -1; // overlong, or a surrogate
            }
            return continuation(a[i + 1]) && continuation(a[i + 2]) ? i + 3 : -1;
        }
        if (b < 0xF5) {
            if (i + 3 >= end) {
                return -1;
            }
            int b1 = a[i + 1] & 0xFF;
            if (b == 0xF0 && b1 < 0x90 || b == 0xF4 && b1 >= 0x90) {
                return -1; // overlong, or above U+10FFFF
            }
            return continuation(a[i + 1]) && continuation(a[i + 2]) && continuation(a[i + 3]) ? i + 4 : -1;
        }
        return -1;
    }

    private static boolean continuation(byte b) {
        return (b & 0xC0) == 0x80;
    }
}

package org.btrelay.tracker.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.dampcake.bencode.Type;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link Bencode} output, checked byte for byte and decoded by an independent decoder. */
class BencodeTest {
    /** Byte strings as ByteBuffers, dictionary keys as ISO-8859-1 so raw key bytes survive. */
    static final com.dampcake.bencode.Bencode RAW = new com.dampcake.bencode.Bencode(StandardCharsets.ISO_8859_1, true);
    /** Strings decoded as UTF-8. */
    static final com.dampcake.bencode.Bencode UTF8 = new com.dampcake.bencode.Bencode();

    static String ascii(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    static byte[] bytes(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }

    static byte[] latin1Bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void zeroNegativeAndPositiveIntegers() {
        assertThat(ascii(Bencode.encode(0))).isEqualTo("i0e");
        assertThat(ascii(Bencode.encode(-42))).isEqualTo("i-42e");
        assertThat(ascii(Bencode.encode(6881))).isEqualTo("i6881e");
        assertThat(UTF8.decode(Bencode.encode(-42), Type.NUMBER)).isEqualTo(-42L);
    }

    @Test
    void longsBeyondIntRangeAndTheExtremes() {
        assertThat(ascii(Bencode.encode(5_000_000_000L))).isEqualTo("i5000000000e");
        assertThat(ascii(Bencode.encode(Long.MAX_VALUE))).isEqualTo("i9223372036854775807e");
        assertThat(ascii(Bencode.encode(Long.MIN_VALUE))).isEqualTo("i-9223372036854775808e");
        assertThat(UTF8.decode(Bencode.encode(Long.MIN_VALUE), Type.NUMBER)).isEqualTo(Long.MIN_VALUE);
        assertThat(UTF8.decode(Bencode.encode(Long.MAX_VALUE), Type.NUMBER)).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void integerAndLongOfTheSameValueEncodeAlike() {
        assertThat(Bencode.encode(Integer.MIN_VALUE)).isEqualTo(Bencode.encode((long) Integer.MIN_VALUE));
    }

    @Test
    void byteStringKeepsEveryByteValueAndCountsBytes() {
        byte[] all = new byte[256];
        for (int i = 0; i < all.length; i++) {
            all[i] = (byte) i;
        }

        byte[] out = Bencode.encode(all);

        assertThat(Arrays.copyOf(out, 4)).isEqualTo(latin1Bytes("256:"));
        assertThat(Arrays.copyOfRange(out, 4, out.length)).isEqualTo(all);
        assertThat(bytes((ByteBuffer) RAW.decode(Bencode.encode(List.of(all)), Type.LIST).get(0))).isEqualTo(all);
    }

    @Test
    void emptyByteStringAndEmptyString() {
        assertThat(ascii(Bencode.encode(new byte[0]))).isEqualTo("0:");
        assertThat(ascii(Bencode.encode(""))).isEqualTo("0:");
    }

    @Test
    void stringIsWrittenAsUtf8WithItsByteLength() {
        String s = "caf\u00e9 \u20ac \uD83D\uDE00"; // 1+1+1+2 +1+ 3 +1+ 4 = 14 bytes

        byte[] out = Bencode.encode(s);

        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        assertThat(utf8).hasSize(14);
        assertThat(Arrays.copyOf(out, 3)).isEqualTo(latin1Bytes("14:"));
        assertThat(Arrays.copyOfRange(out, 3, out.length)).isEqualTo(utf8);
        assertThat(UTF8.decode(Bencode.encode(List.of(s)), Type.LIST)).containsExactly(s);
    }

    @Test
    void nestedListsAndDictionaries() {
        Map<String, Object> inner = new LinkedHashMap<>();
        inner.put("port", 6881);
        inner.put("ip", "10.0.0.1");
        Object value = Map.of(
                "peers", List.of(inner, Map.of(), List.of()),
                "nested", List.of(List.of(List.of(1L, -2)), "x"));

        byte[] out = Bencode.encode(value);

        assertThat(ascii(out)).isEqualTo(
                "d6:nestedllli1ei-2eee1:xe5:peersld2:ip8:10.0.0.14:porti6881eedeleee");
        Map<String, Object> decoded = UTF8.decode(out, Type.DICTIONARY);
        assertThat(decoded).isEqualTo(Map.of(
                "peers", List.of(Map.of("ip", "10.0.0.1", "port", 6881L), Map.of(), List.of()),
                "nested", List.of(List.of(List.of(1L, -2L)), "x")));
    }

    @Test
    void dictionaryKeysAreSortedAsRawUnsignedBytes() {
        Map<Object, Object> map = new LinkedHashMap<>();
        map.put("b", 1);
        map.put(new byte[] {(byte) 0xFF}, 2);
        map.put("a", 3);
        map.put(new byte[] {(byte) 0x80, 0x01}, 4);
        map.put(new byte[] {0x00}, 5);
        map.put("B", 6);
        map.put("\u00e9", 7);              // UTF-8 C3 A9
        map.put(new byte[] {(byte) 0xC3}, 8);
        map.put("ab", 9);
        map.put(new byte[] {0x7F}, 10);

        Map<String, Object> decoded = RAW.decode(Bencode.encode(map), Type.DICTIONARY);

        // dampcake keeps the order it read; ISO-8859-1 maps each key char back to its byte.
        List<String> expected = List.of(
                "\u0000", "B", "a", "ab", "b", "\u007F", "\u0080\u0001", "\u00C3", "\u00C3\u00A9", "\u00FF");
        assertThat(new ArrayList<>(decoded.keySet())).containsExactlyElementsOf(expected);
        assertThat(decoded.get("\u00C3\u00A9")).isEqualTo(7L);
        assertThat(decoded.get("\u00FF")).isEqualTo(2L);
        assertThat(decoded.get("\u0080\u0001")).isEqualTo(4L);
    }

    @Test
    void stringKeysAreSortedByTheirUtf8BytesNotByUtf16() {
        // U+FFFD is EF BF BD in UTF-8, an emoji F0 9F ...: UTF-16 order (D83D < FFFD) is the reverse.
        Map<String, Object> map = new TreeMap<>(Map.of("\uD83D\uDE00", 1, "\uFFFD", 2));

        Map<String, Object> decoded = UTF8.decode(Bencode.encode(map), Type.DICTIONARY);

        assertThat(new ArrayList<>(decoded.keySet())).containsExactly("\uFFFD", "\uD83D\uDE00");
    }

    @Test
    void keyOrderDoesNotDependOnTheMapsOwnOrder() {
        Map<String, Object> linked = new LinkedHashMap<>();
        for (String k : List.of("peers6", "peers", "min interval", "interval", "incomplete", "complete")) {
            linked.put(k, 1);
        }

        assertThat(ascii(Bencode.encode(linked))).isEqualTo(ascii(Bencode.encode(new HashMap<>(linked))))
                .isEqualTo("d8:completei1e10:incompletei1e8:intervali1e12:min intervali1e5:peersi1e6:peers6i1ee");
    }

    @Test
    void byteArrayValuesInADictionaryAreByteStrings() {
        byte[] compact = {10, 0, 0, 1, 0x1A, (byte) 0xE1};

        Map<String, Object> decoded = RAW.decode(Bencode.encode(Map.of("peers", compact)), Type.DICTIONARY);

        assertThat(bytes((ByteBuffer) decoded.get("peers"))).isEqualTo(compact);
    }

    @Test
    void emptyListAndDictionary() {
        assertThat(ascii(Bencode.encode(List.of()))).isEqualTo("le");
        assertThat(ascii(Bencode.encode(Map.of()))).isEqualTo("de");
    }

    @ParameterizedTest
    @ValueSource(strings = {"null", "boolean", "double", "short", "byte", "char", "object", "intArray", "optional"})
    void unsupportedValueTypesThrowIllegalArgumentException(String kind) {
        Object value = switch (kind) {
            case "null" -> null;
            case "boolean" -> true;
            case "double" -> 1.5;
            case "short" -> (short) 1;
            case "byte" -> (byte) 1;
            case "char" -> 'c';
            case "object" -> new Object();
            case "intArray" -> new int[] {1};
            default -> Optional.of(1);
        };

        assertThatThrownBy(() -> Bencode.encode(value)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Bencode.encode(Arrays.asList(1, value))).isInstanceOf(IllegalArgumentException.class);
        Map<String, Object> inDict = new HashMap<>();
        inDict.put("k", value);
        assertThatThrownBy(() -> Bencode.encode(inDict)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void dictionaryKeysOtherThanStringOrBytesThrowIllegalArgumentException() {
        Map<Object, Object> intKey = Map.of(1, "x");
        Map<Object, Object> nullKey = new HashMap<>();
        nullKey.put(null, "x");

        assertThatThrownBy(() -> Bencode.encode(intKey)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Bencode.encode(nullKey)).isInstanceOf(IllegalArgumentException.class);
    }
}

package org.btrelay.tracker.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Query strings decoded to raw bytes, as tracker parameters are percent-encoded binary. */
class QueryTest {
    static final int MAX = 100;

    static byte[] allBytes() {
        byte[] all = new byte[256];
        for (int i = 0; i < all.length; i++) {
            all[i] = (byte) i;
        }
        return all;
    }

    static String pct(byte[] bytes, boolean upper) {
        StringBuilder b = new StringBuilder();
        for (byte x : bytes) {
            String hex = String.format("%%%02X", x & 0xFF);
            b.append(upper ? hex : hex.toLowerCase(Locale.ROOT));
        }
        return b.toString();
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void percentEscapesOfAll256ByteValuesDecodeToExactlyThoseBytes() {
        Query q = Query.parse("k=" + pct(allBytes(), true), MAX);

        assertThat(q.bytes("k")).isEqualTo(allBytes());
    }

    @Test
    void lowerCaseHexEscapesDecodeLikeUpperCase() {
        Query q = Query.parse("k=" + pct(allBytes(), false), MAX);

        assertThat(q.bytes("k")).isEqualTo(allBytes());
    }

    @Test
    void twentyByteInfoHashWithHighBytesDecodesToTwentyBytes() {
        byte[] hash = new byte[20];
        for (int i = 0; i < 20; i++) {
            hash[i] = (byte) (0xEC + i);
        }

        Query q = Query.parse("info_hash=" + pct(hash, true) + "&port=6881", MAX);

        assertThat(q.bytes("info_hash")).isEqualTo(hash);
    }

    @Test
    void unescapedCharactersAreTheirOwnBytes() {
        Query q = Query.parse("peer_id=-qB4650-abc.~_*XYZ09&event=started", MAX);

        assertThat(q.bytes("peer_id")).isEqualTo(ascii("-qB4650-abc.~_*XYZ09"));
        assertThat(q.text("event")).isEqualTo("started");
    }

    @Test
    void mixedEscapedAndLiteralBytesDecodeInOrder() {
        Query q = Query.parse("info_hash=%124Vx%9A%BC%DE%F1%23Eg%89%AB%CD%EF%124Vx%9A", MAX);

        assertThat(q.bytes("info_hash")).isEqualTo(new byte[] {
            0x12, '4', 'V', 'x', (byte) 0x9A, (byte) 0xBC, (byte) 0xDE, (byte) 0xF1, 0x23, 'E', 'g',
            (byte) 0x89, (byte) 0xAB, (byte) 0xCD, (byte) 0xEF, 0x12, '4', 'V', 'x', (byte) 0x9A});
    }

    @Test
    void plusIsASpaceAndEscapedPlusIsAPlus() {
        Query q = Query.parse("a=x+y&b=x%2By&c=+", MAX);

        assertThat(q.bytes("a")).isEqualTo(ascii("x y"));
        assertThat(q.bytes("b")).isEqualTo(ascii("x+y"));
        assertThat(q.bytes("c")).isEqualTo(ascii(" "));
    }

    @Test
    void keysArePercentDecodedToo() {
        Query q = Query.parse("info%5Fhash=x&no%20id=y", MAX);

        assertThat(q.text("info_hash")).isEqualTo("x");
        assertThat(q.text("no id")).isEqualTo("y");
    }

    @Test
    void repeatedKeysAreAllKeptInOrderAndBytesReturnsTheFirst() {
        Query q = Query.parse("info_hash=a&port=1&info_hash=b&info_hash=%FF", MAX);

        assertThat(q.all("info_hash")).containsExactly(ascii("a"), ascii("b"), new byte[] {(byte) 0xFF});
        assertThat(q.bytes("info_hash")).isEqualTo(ascii("a"));
        assertThat(q.all("port")).containsExactly(ascii("1"));
        assertThat(q.all("missing")).isEmpty();
    }

    @Test
    void keyWithoutEqualsSignHasAnEmptyValue() {
        Query q = Query.parse("compact&no_peer_id&port=6881", MAX);

        assertThat(q.bytes("compact")).isEmpty();
        assertThat(q.text("no_peer_id")).isEmpty();
        assertThat(q.number("compact", 7)).isEqualTo(7);
        assertThat(q.bytes("other")).isNull();
        assertThat(q.text("other")).isNull();
    }

    @Test
    void valueMayContainEqualsSigns() {
        Query q = Query.parse("a=b=c&d==", MAX);

        assertThat(q.text("a")).isEqualTo("b=c");
        assertThat(q.text("d")).isEqualTo("=");
    }

    @Test
    void emptyPairsAreSkippedAndNotCounted() {
        Query q = Query.parse("&&a=1&&b=2&", 2);

        assertThat(q.text("a")).isEqualTo("1");
        assertThat(q.text("b")).isEqualTo("2");
    }

    @Test
    void nullOrEmptyQueryHasNoParameters() {
        assertThat(Query.parse(null, MAX).bytes("info_hash")).isNull();
        assertThat(Query.parse("", MAX).all("info_hash")).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"a=%G1", "a=%1", "a=%", "a=x%", "a=%zz", "a=%-1", "a=%+1", "a=% 1", "%G1=x", "%=x",
        "info_hash=%12%3"})
    void malformedEscapeThrowsIllegalArgumentException(String raw) {
        assertThatThrownBy(() -> Query.parse(raw, MAX)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void exactlyMaxParametersAreAccepted() {
        Query q = Query.parse("a=1&a=2&a=3", 3);

        assertThat(q.all("a")).hasSize(3);
    }

    @Test
    void moreThanMaxParametersThrowIllegalArgumentException() {
        assertThatThrownBy(() -> Query.parse("a=1&a=2&a=3&b", 3))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("too many query parameters");
    }

    @Test
    void numberReadsNonNegativeIntegers() {
        Query q = Query.parse("port=6881&left=0&downloaded=9223372036854775807&uploaded=", MAX);

        assertThat(q.number("port", -1)).isEqualTo(6881);
        assertThat(q.number("left", -1)).isZero();
        assertThat(q.number("downloaded", -1)).isEqualTo(Long.MAX_VALUE);
        assertThat(q.number("uploaded", 5)).isEqualTo(5);
        assertThat(q.number("numwant", 50)).isEqualTo(50);
    }

    @ParameterizedTest
    @ValueSource(strings = {"-1", "-0x10", "abc", "1.5", "1e3", "0x10", "12a", " 1", "99999999999999999999", "%FF"})
    void numberThatIsNegativeOrNotAnIntegerThrowsIllegalArgumentExceptionNamingTheKey(String value) {
        Query q = Query.parse("port=" + value.replace(" ", "%20"), MAX);

        assertThatThrownBy(() -> q.number("port", -1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("invalid port");
    }
}

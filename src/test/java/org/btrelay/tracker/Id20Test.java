package org.btrelay.tracker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class Id20Test {

    /** Thirteen ids that between them hold every byte value 0..255 at every kind of position. */
    private static byte[][] allByteValues() {
        byte[][] out = new byte[13][Id20.LENGTH];
        for (int k = 0; k < out.length; k++) {
            for (int i = 0; i < Id20.LENGTH; i++) {
                out[k][i] = (byte) (k * Id20.LENGTH + i);
            }
        }
        return out;
    }

    @Test
    void everyByteValueSurvivesTheLatin1WireForm() {
        Set<Integer> seen = new HashSet<>();
        for (byte[] bytes : allByteValues()) {
            Id20 id = Id20.of(bytes);
            String wire = id.toLatin1();

            assertThat(wire).hasSize(20);
            for (int i = 0; i < 20; i++) {
                assertThat((int) wire.charAt(i)).isEqualTo(bytes[i] & 0xFF);
                seen.add(bytes[i] & 0xFF);
            }
            assertThat(Id20.fromLatin1(wire)).isEqualTo(id);
            assertThat(Id20.fromLatin1(wire).toBytes()).isEqualTo(bytes);
        }
        assertThat(seen).hasSize(256);
    }

    @Test
    void latin1ReadsEachCharacterAsOneByteNotUtf8() {
        Id20 id = Id20.fromLatin1("\u0000\u007f\u0080\u00ff\u00e9abcdefghijklmno");

        assertThat(id.toBytes()).startsWith((byte) 0x00, (byte) 0x7F, (byte) 0x80, (byte) 0xFF, (byte) 0xE9,
                (byte) 'a');
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 19, 21, 40})
    void latin1OfAnyLengthOtherThanTwentyIsRejected(int length) {
        assertThat(Id20.fromLatin1("x".repeat(length))).isNull();
    }

    @Test
    void latin1WithACharacterAboveU00ffIsRejected() {
        assertThat(Id20.fromLatin1("\u0100" + "a".repeat(19))).isNull();
        assertThat(Id20.fromLatin1("a".repeat(19) + "\u20ac")).isNull();
        assertThat(Id20.fromLatin1("a".repeat(10) + "\ud83d\ude00" + "a".repeat(8))).isNull();
        assertThat(Id20.fromLatin1(null)).isNull();
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 19, 21, 32})
    void bytesOfAnyLengthOtherThanTwentyAreRejected(int length) {
        assertThatThrownBy(() -> Id20.of(new byte[length]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(String.valueOf(length));
    }

    @Test
    void hexRoundTripsInLowerCaseAndAcceptsUpperCase() {
        for (byte[] bytes : allByteValues()) {
            Id20 id = Id20.of(bytes);
            String hex = id.toHex();

            assertThat(hex).hasSize(40).matches("[0-9a-f]{40}");
            assertThat(Id20.fromHex(hex)).isEqualTo(id);
            assertThat(Id20.fromHex(hex.toUpperCase())).isEqualTo(id);
            assertThat(id.toString()).isEqualTo(hex);
        }
        assertThat(Id20.fromHex("00112233445566778899aabbccddeeff00112233").toBytes())
                .isEqualTo(new byte[] {0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, (byte) 0x88, (byte) 0x99,
                    (byte) 0xAA, (byte) 0xBB, (byte) 0xCC, (byte) 0xDD, (byte) 0xEE, (byte) 0xFF, 0x00, 0x11,
                    0x22, 0x33});
    }

    @Test
    void hexThatIsNotFortyDigitsIsRejected() {
        assertThat(Id20.fromHex(null)).isNull();
        assertThat(Id20.fromHex("0".repeat(39))).isNull();
        assertThat(Id20.fromHex("0".repeat(41))).isNull();
        assertThat(Id20.fromHex("zz" + "0".repeat(38))).isNull();
        assertThat(Id20.fromHex("0".repeat(38) + " 0")).isNull();
    }

    @Test
    void idsWithTheSameBytesAreEqualWithTheSameHash() {
        byte[] bytes = allByteValues()[5];
        Id20 a = Id20.of(bytes);
        Id20 b = Id20.fromLatin1(a.toLatin1());

        assertThat(a).isEqualTo(b).isNotSameAs(b);
        assertThat(a.hashCode()).isEqualTo(b.hashCode());
        assertThat(a.compareTo(b)).isZero();
        assertThat(a).isNotEqualTo(a.toHex()).isNotEqualTo(null);
    }

    @Test
    void idsDifferingInAnySingleByteAreNotEqual() {
        byte[] base = allByteValues()[3];
        Id20 id = Id20.of(base);
        for (int i = 0; i < Id20.LENGTH; i++) {
            byte[] changed = base.clone();
            changed[i] ^= 0x01;
            Id20 other = Id20.of(changed);

            assertThat(other).as("byte %d changed", i).isNotEqualTo(id);
            assertThat(other.compareTo(id)).as("byte %d changed", i).isNotZero();
        }
    }

    @Test
    void hashCodesSpreadOverManyIds() {
        Random rnd = new Random(1);
        Set<Integer> hashes = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            byte[] b = new byte[20];
            rnd.nextBytes(b);
            hashes.add(Id20.of(b).hashCode());
        }
        assertThat(hashes).hasSizeGreaterThan(9_990);
    }

    @Test
    void compareToOrdersLikeUnsignedBytes() {
        Random rnd = new Random(2);
        for (int i = 0; i < 5_000; i++) {
            byte[] x = new byte[20];
            byte[] y = new byte[20];
            rnd.nextBytes(x);
            rnd.nextBytes(y);
            // Share a random prefix so that later words decide too.
            int prefix = rnd.nextInt(21);
            System.arraycopy(x, 0, y, 0, prefix);

            int expected = Integer.signum(Arrays.compareUnsigned(x, y));
            assertThat(Integer.signum(Id20.of(x).compareTo(Id20.of(y)))).isEqualTo(expected);
            assertThat(Integer.signum(Id20.of(y).compareTo(Id20.of(x)))).isEqualTo(-expected);
        }
        assertThat(TrackerHarness.bytesId(0x80).compareTo(TrackerHarness.bytesId(0x7F))).isPositive();
        assertThat(TrackerHarness.bytesId(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF)
                .compareTo(TrackerHarness.bytesId(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01)))
                .isPositive();
    }

    @Test
    void byteAtReturnsEachByteInOrder() {
        for (byte[] bytes : allByteValues()) {
            Id20 id = Id20.of(bytes);
            for (int i = 0; i < Id20.LENGTH; i++) {
                assertThat(id.byteAt(i)).as("byte %d", i).isEqualTo(bytes[i]);
            }
        }
    }

    @Test
    void byteAtOutsideTheIdThrows() {
        Id20 id = Id20.of(new byte[20]);

        assertThatThrownBy(() -> id.byteAt(-1)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> id.byteAt(20)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void toBytesReturnsACopy() {
        Id20 id = Id20.of(allByteValues()[1]);
        byte[] b = id.toBytes();
        b[0] = 99;

        assertThat(id.toBytes()).isEqualTo(allByteValues()[1]);
    }
}

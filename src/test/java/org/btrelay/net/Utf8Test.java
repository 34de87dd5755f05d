package org.btrelay.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The word-at-a-time UTF-8 check says what the JDK's strict decoder says, for every input. */
class Utf8Test {

    private static boolean jdk(byte[] b, int off, int len) {
        try {
            StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(b, off, len));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    private static byte[] bytes(int... v) {
        byte[] b = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = (byte) v[i];
        }
        return b;
    }

    @Test
    void theEdgesOfEveryFormAreJudgedAsRfc3629Says() {
        int[][] valid = {{}, {0x7F}, {0xC2, 0x80}, {0xDF, 0xBF}, {0xE0, 0xA0, 0x80}, {0xED, 0x9F, 0xBF},
            {0xEE, 0x80, 0x80}, {0xEF, 0xBF, 0xBF}, {0xF0, 0x90, 0x80, 0x80}, {0xF4, 0x8F, 0xBF, 0xBF}};
        int[][] invalid = {{0x80}, {0xBF}, {0xC0, 0x80}, {0xC1, 0xBF}, {0xC2}, {0xC2, 0x41}, {0xE0, 0x9F, 0xBF},
            {0xED, 0xA0, 0x80}, {0xED, 0xBF, 0xBF}, {0xE1, 0x80}, {0xF0, 0x8F, 0xBF, 0xBF}, {0xF4, 0x90, 0x80, 0x80},
            {0xF5, 0x80, 0x80, 0x80}, {0xFE}, {0xFF}, {0xF0, 0x90, 0x80}};
        for (int[] v : valid) {
            assertThat(Utf8.valid(bytes(v), v.length)).as("%s", java.util.Arrays.toString(v)).isTrue();
        }
        for (int[] v : invalid) {
            assertThat(Utf8.valid(bytes(v), v.length)).as("%s", java.util.Arrays.toString(v)).isFalse();
        }
    }

    @Test
    void randomTextAgreesWithTheJdkDecoderAtEveryOffsetAndLength() {
        Random random = new Random(6455);
        String[] pieces = {"a", "abcdefgh", "é", "€", "😀", "\u0000", "ÿ"};
        for (int round = 0; round < 20_000; round++) {
            StringBuilder s = new StringBuilder();
            int parts = random.nextInt(12);
            for (int i = 0; i < parts; i++) {
                s.append(pieces[random.nextInt(pieces.length)]);
            }
            byte[] b = s.toString().getBytes(StandardCharsets.UTF_8);
            if (b.length > 0 && random.nextInt(3) == 0) {
                // Break it now and then: one random byte anywhere.
                b[random.nextInt(b.length)] = (byte) random.nextInt(256);
            }
            int off = b.length == 0 ? 0 : random.nextInt(b.length);
            int len = random.nextInt(b.length - off + 1);
            assertThat(Utf8.valid(b, off, len)).as("%s at %d+%d", java.util.Arrays.toString(b), off, len)
                    .isEqualTo(jdk(b, off, len));
        }
    }
}

package org.btrelay.tracker.ws;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** UTF-8 checks for the bytes Undertow does not check itself (binary messages, which are rare). */
final class Utf8 {
    private Utf8() {}

    /** Whether {@code length} bytes at the start of {@code bytes} are well-formed UTF-8 (RFC 3629). */
    static boolean valid(byte[] bytes, int length) {
        try {
            StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, 0, length));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }
}

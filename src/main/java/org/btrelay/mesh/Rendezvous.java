package org.btrelay.mesh;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Rendezvous (highest random weight) hashing of a torrent over relays: every browser of one
 * torrent computes the same order, while different torrents spread over different relays, and
 * a relay leaving only moves the torrents it had.
 *
 * <p>A relay's weight for a torrent is SHA-1(info_hash bytes ‖ relay id as ASCII); relays are
 * ordered by weight, highest first, comparing the 20 bytes as unsigned. The browser helper
 * computes exactly this.
 */
public final class Rendezvous {
    private Rendezvous() {}

    public static byte[] weight(byte[] infoHash, String relayId) {
        try {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            sha1.update(infoHash);
            sha1.update(relayId.getBytes(StandardCharsets.US_ASCII));
            return sha1.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Sorts {@code relays} in place, highest weight for {@code infoHash} first. */
    public static <T> void order(List<T> relays, byte[] infoHash, java.util.function.Function<T, String> id) {
        relays.sort(Comparator.comparing((T r) -> weight(infoHash, id.apply(r)), Arrays::compareUnsigned).reversed());
    }
}

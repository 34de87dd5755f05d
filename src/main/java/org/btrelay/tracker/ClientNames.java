package org.btrelay.tracker;

import java.util.Map;

/**
 * Names the client software from its peer_id prefix (Azureus style {@code -XXvvvv-}), as the
 * reference tracker's stats do.
 */
public final class ClientNames {
    private static final Map<String, String> CODES = Map.ofEntries(
            Map.entry("WW", "WebTorrent"),
            Map.entry("WD", "WebTorrent Desktop"),
            Map.entry("qB", "qBittorrent"),
            Map.entry("TR", "Transmission"),
            Map.entry("UT", "µTorrent"),
            Map.entry("UM", "µTorrent Mac"),
            Map.entry("LT", "libtorrent (Rasterbar)"),
            Map.entry("lt", "libTorrent (rakshasa)"),
            Map.entry("DE", "Deluge"),
            Map.entry("BI", "BiglyBT"),
            Map.entry("AZ", "Vuze"),
            Map.entry("BT", "BitTorrent"),
            Map.entry("KT", "KTorrent"),
            Map.entry("FD", "Free Download Manager"),
            Map.entry("PI", "PicoTorrent"),
            Map.entry("TL", "Tribler"),
            Map.entry("AG", "Ares"),
            Map.entry("BC", "BitComet"),
            Map.entry("RZ", "RezTorrent"));

    public static final String UNKNOWN = "unknown";

    private ClientNames() {}

    /** A client name and version, e.g. {@code WebTorrent} and {@code 2.8}. */
    public record Client(String name, String version) {}

    public static Client of(Id20 peerId) {
        if (peerId.byteAt(0) != '-' || peerId.byteAt(7) != '-') {
            return new Client(UNKNOWN, UNKNOWN);
        }
        char c1 = (char) (peerId.byteAt(1) & 0xFF);
        char c2 = (char) (peerId.byteAt(2) & 0xFF);
        if (!isAlnum(c1) || !isAlnum(c2)) {
            return new Client(UNKNOWN, UNKNOWN);
        }
        String code = "" + c1 + c2;
        String name = CODES.getOrDefault(code, code);
        char[] v = new char[4];
        for (int i = 0; i < 4; i++) {
            v[i] = (char) (peerId.byteAt(3 + i) & 0xFF);
            if (!isAlnum(v[i])) {
                return new Client(name, UNKNOWN);
            }
        }
        return new Client(name, version(code, v));
    }

    private static String version(String code, char[] v) {
        if (code.equals("WW") || code.equals("WD")) {
            // WebTorrent writes two decimal digits per part: 2.8.x -> "0208", 0.21 -> "0021".
            for (char ch : v) {
                if (!Character.isDigit(ch)) {
                    return UNKNOWN;
                }
            }
            return Integer.parseInt(new String(v, 0, 2)) + "." + Integer.parseInt(new String(v, 2, 2));
        }
        StringBuilder sb = new StringBuilder();
        for (char ch : v) {
            if (sb.length() > 0) {
                sb.append('.');
            }
            sb.append(Character.isDigit(ch) ? String.valueOf(ch - '0') : String.valueOf(Character.digit(ch, 36)));
        }
        return sb.toString();
    }

    private static boolean isAlnum(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }
}

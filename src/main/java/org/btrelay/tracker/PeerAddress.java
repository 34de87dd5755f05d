package org.btrelay.tracker;

import java.net.Inet6Address;
import java.net.InetAddress;

/** A peer that can be dialled (HTTP and UDP peers): its id, raw IP bytes (4 or 16) and port. */
public record PeerAddress(Id20 peerId, byte[] ip, int port) {
    public boolean isIpv6() {
        return ip.length == 16;
    }

    static byte[] bytesOf(InetAddress address) {
        byte[] raw = address.getAddress();
        if (address instanceof Inet6Address && isV4Mapped(raw)) {
            byte[] v4 = new byte[4];
            System.arraycopy(raw, 12, v4, 0, 4);
            return v4;
        }
        return raw;
    }

    private static boolean isV4Mapped(byte[] raw) {
        for (int i = 0; i < 10; i++) {
            if (raw[i] != 0) {
                return false;
            }
        }
        return raw[10] == (byte) 0xFF && raw[11] == (byte) 0xFF;
    }
}

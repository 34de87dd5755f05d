package org.btrelay.mesh;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * A relay's signed description: who it is, how to reach it and which swarms it serves. Signed by
 * the relay it describes, so it can be passed on by others (gossip) without being forged.
 *
 * <p>The signature covers {@code "btrelay-record-v1\n"} followed by the record as compact JSON,
 * keys in the order declared here, without {@code signature}.
 */
@JsonPropertyOrder({"id", "publicKey", "name", "software", "httpUrl", "trackers", "swarms", "timestamp", "signature"})
public record RelayRecord(
        String id,
        String publicKey,
        String name,
        String software,
        String httpUrl,
        List<String> trackers,
        List<String> swarms,
        long timestamp,
        String signature) {

    static final int MAX_NAME = 64;
    static final int MAX_URLS = 8;
    static final int MAX_URL = 256;
    public static final int MAX_SWARMS = 32;
    public static final int MAX_SWARM_KEY = 128;
    /** A record may be this far in the future (clock skew). */
    static final long MAX_SKEW_MILLIS = 5 * 60_000;
    /** Records older than this are not passed on. */
    static final long MAX_AGE_MILLIS = 7L * 24 * 3600_000;

    private static final ObjectMapper JSON = new ObjectMapper();

    public static RelayRecord create(Identity identity, String name, String software, String httpUrl,
                                     List<String> trackers, List<String> swarms, long timestamp) {
        RelayRecord unsigned = new RelayRecord(identity.id(), identity.publicKey(), name, software, httpUrl,
                List.copyOf(trackers), List.copyOf(swarms), timestamp, null);
        return unsigned.withSignature(Base64.getEncoder().encodeToString(identity.sign(unsigned.signedBytes())));
    }

    RelayRecord withSignature(String sig) {
        return new RelayRecord(id, publicKey, name, software, httpUrl, trackers, swarms, timestamp, sig);
    }

    byte[] signedBytes() {
        try {
            String body = JSON.writeValueAsString(withSignature(null));
            return ("btrelay-record-v1\n" + body).getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Everything wrong with this record (bounds, id, signature, age); empty when it can be trusted. */
    public List<String> problems(long nowMillis) {
        List<String> out = new ArrayList<>();
        if (id == null || publicKey == null || !id.equals(Identity.idOf(publicKey))) {
            out.add("id does not match the public key");
            return out;
        }
        if (name == null || name.isEmpty() || name.length() > MAX_NAME) {
            out.add("name must be 1 to " + MAX_NAME + " characters");
        }
        if (software != null && software.length() > MAX_NAME) {
            out.add("software too long");
        }
        if (httpUrl != null && !validUrl(httpUrl)) {
            out.add("invalid httpUrl");
        }
        if (trackers == null || trackers.size() > MAX_URLS || !trackers.stream().allMatch(RelayRecord::validUrl)) {
            out.add("invalid trackers");
        }
        if (swarms == null || swarms.size() > MAX_SWARMS || !swarms.stream().allMatch(RelayRecord::validSwarmKey)) {
            out.add("invalid swarms");
        }
        if (timestamp > nowMillis + MAX_SKEW_MILLIS || timestamp < nowMillis - MAX_AGE_MILLIS) {
            out.add("timestamp out of range");
        }
        if (!out.isEmpty()) {
            return out;
        }
        byte[] sig;
        try {
            sig = signature == null ? null : Base64.getDecoder().decode(signature);
        } catch (IllegalArgumentException e) {
            sig = null;
        }
        if (!Identity.verify(publicKey, signedBytes(), sig)) {
            out.add("bad signature");
        }
        return out;
    }

    public static boolean validSwarmKey(String key) {
        return key != null && !key.isBlank() && key.length() <= MAX_SWARM_KEY;
    }

    static boolean validUrl(String url) {
        if (url == null || url.length() > MAX_URL) {
            return false;
        }
        try {
            URI u = new URI(url);
            String s = u.getScheme();
            return u.getHost() != null && s != null && List.of("http", "https", "ws", "wss").contains(s);
        } catch (java.net.URISyntaxException e) {
            return false;
        }
    }
}

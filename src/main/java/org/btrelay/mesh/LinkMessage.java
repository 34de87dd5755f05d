package org.btrelay.mesh;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.annotation.JsonTypeName;
import java.util.List;
import org.btrelay.health.Health;

/**
 * A message of the relay-to-relay link protocol (see docs/relay-protocol.md): one JSON text frame
 * whose {@code type} is the record's {@link JsonTypeName}. The records below are the core
 * protocol; a feature adds its own family (a sealed interface extending this one) and registers
 * each type with {@link Mesh#handle}, which is also where the type's capability is named.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
public interface LinkMessage {
    /** The base protocol version. Features are negotiated as capabilities, not by bumping this. */
    int VERSION = 1;

    /**
     * First message of each side: protocol version, signed record, a fresh nonce to sign, and
     * the capabilities the sender has ({@code null}: a relay from before capabilities, see
     * {@link Capabilities#V1}).
     */
    @JsonTypeName("hello")
    record Hello(int version, RelayRecord record, String nonce,
                 @JsonInclude(JsonInclude.Include.NON_NULL) List<String> capabilities) implements LinkMessage {
        /** A hello as relays before capabilities sent it. */
        public Hello(int version, RelayRecord record, String nonce) {
            this(version, record, nonce, null);
        }
    }

    /** The sender's signature over the other side's nonce and both ids. */
    @JsonTypeName("proof")
    record Proof(String signature) implements LinkMessage {}

    @JsonTypeName("health")
    record HealthReport(Health health) implements LinkMessage {}

    @JsonTypeName("ping")
    record Ping(long n) implements LinkMessage {}

    @JsonTypeName("pong")
    record Pong(long n) implements LinkMessage {}

    /** Records of relays the sender knows, each with the address it reached that relay at (a hint, unsigned). */
    @JsonTypeName("records")
    record Gossip(List<Entry> records) implements LinkMessage {
        public record Entry(RelayRecord record, String address) {}
    }
}

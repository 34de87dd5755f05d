package org.btrelay.mesh;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.List;
import org.btrelay.health.Health;

/**
 * The messages of the relay-to-relay link protocol (see docs/relay-protocol.md). Each is one JSON
 * text frame with a {@code type}.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = LinkMessage.Hello.class, name = "hello"),
    @JsonSubTypes.Type(value = LinkMessage.Proof.class, name = "proof"),
    @JsonSubTypes.Type(value = LinkMessage.HealthReport.class, name = "health"),
    @JsonSubTypes.Type(value = LinkMessage.Ping.class, name = "ping"),
    @JsonSubTypes.Type(value = LinkMessage.Pong.class, name = "pong"),
    @JsonSubTypes.Type(value = LinkMessage.Gossip.class, name = "records"),
})
public sealed interface LinkMessage {
    int VERSION = 1;

    /** First message of each side: protocol version, signed record, and a fresh nonce to sign. */
    record Hello(int version, RelayRecord record, String nonce) implements LinkMessage {}

    /** The sender's signature over the other side's nonce and both ids. */
    record Proof(String signature) implements LinkMessage {}

    record HealthReport(Health health) implements LinkMessage {}

    record Ping(long n) implements LinkMessage {}

    record Pong(long n) implements LinkMessage {}

    /** Records of relays the sender knows, each with the address it reached that relay at (a hint, unsigned). */
    record Gossip(List<Entry> records) implements LinkMessage {
        public record Entry(RelayRecord record, String address) {}
    }
}

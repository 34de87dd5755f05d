package org.btrelay.mesh;

import com.fasterxml.jackson.annotation.JsonTypeName;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Every message type of the link protocol, keyed by its {@code type}: the record it reads into,
 * the capability it belongs to (none for the handshake and pings) and its handler. A new message
 * family is one registration per type, here, and nothing else in the mesh changes.
 */
final class MessageTable {
    /**
     * @param capability     {@code null} for the base protocol, always on
     * @param beforeHandshake may arrive before the link is authenticated (hello, proof)
     * @param optional       fields a sender may leave out (read as {@code null}); every other one is required
     */
    record Registration<M extends LinkMessage>(String type, Class<M> messageClass, String capability,
                                                boolean beforeHandshake, MessageHandler<M> handler,
                                                List<String> optional) {
        void dispatch(Link from, LinkMessage message) {
            handler.handle(from, messageClass.cast(message));
        }
    }

    /** What a text frame turned out to be. */
    sealed interface Decoded {
        record Known(Registration<?> registration, LinkMessage message) implements Decoded {}

        /** Well-formed, with a type this relay does not know. */
        record Unknown(String type) implements Decoded {}

        record Malformed(String reason) implements Decoded {}
    }

    private final ObjectMapper json;
    private final Map<String, Registration<?>> byType = new LinkedHashMap<>();
    private final Map<Class<?>, Registration<?>> byClass = new HashMap<>();

    MessageTable(ObjectMapper json) {
        this.json = json;
    }

    /**
     * @throws IllegalArgumentException when the type has no {@link JsonTypeName}, is taken, or the
     *         capability is not a valid name
     */
    <M extends LinkMessage> void register(Class<M> messageClass, String capability, boolean beforeHandshake,
                                          MessageHandler<M> handler, String... optional) {
        JsonTypeName name = messageClass.getAnnotation(JsonTypeName.class);
        if (name == null || name.value().isEmpty()) {
            throw new IllegalArgumentException(messageClass.getName() + " needs @JsonTypeName: its type on the wire");
        }
        if (capability != null && !Capabilities.validName(capability)) {
            throw new IllegalArgumentException("not a capability name: " + capability);
        }
        if (byType.containsKey(name.value()) || byClass.containsKey(messageClass)) {
            throw new IllegalArgumentException("message type '" + name.value() + "' is registered already");
        }
        Registration<M> r = new Registration<>(name.value(), messageClass, capability, beforeHandshake, handler,
                List.of(optional));
        byType.put(r.type(), r);
        byClass.put(messageClass, r);
    }

    /** The capabilities of all registered types (what this relay announces). */
    Set<String> capabilities() {
        Set<String> out = new TreeSet<>();
        for (Registration<?> r : byType.values()) {
            if (r.capability() != null) {
                out.add(r.capability());
            }
        }
        return out;
    }

    /** The capability a message class belongs to, {@code null} for the base protocol. */
    String capabilityOf(Class<?> messageClass) {
        Registration<?> r = byClass.get(messageClass);
        if (r == null) {
            throw new IllegalArgumentException("not a registered link message: " + messageClass.getName());
        }
        return r.capability();
    }

    String encode(LinkMessage message) {
        try {
            return json.writeValueAsString(message);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + message.getClass().getSimpleName(), e);
        }
    }

    /** Reads one text frame; never throws for what a peer sends. */
    Decoded decode(String text) {
        JsonNode tree;
        try {
            tree = json.readTree(text);
        } catch (JsonProcessingException e) {
            return new Decoded.Malformed("not JSON");
        }
        if (!(tree instanceof ObjectNode o)) {
            return new Decoded.Malformed("not a JSON object");
        }
        JsonNode type = o.get("type");
        if (type == null || !type.isTextual()) {
            return new Decoded.Malformed("no type");
        }
        Registration<?> r = byType.get(type.asText());
        if (r == null) {
            return new Decoded.Unknown(type.asText());
        }
        for (String field : r.optional()) {
            if (!o.has(field)) {
                o.putNull(field);
            }
        }
        try {
            LinkMessage m = json.treeToValue(o, r.messageClass());
            return m == null ? new Decoded.Malformed("empty " + r.type()) : new Decoded.Known(r, m);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            return new Decoded.Malformed("bad " + r.type());
        }
    }
}

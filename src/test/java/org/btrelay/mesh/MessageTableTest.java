package org.btrelay.mesh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.annotation.JsonTypeName;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MessageTableTest {
    @JsonTypeName("test-note")
    record Note(String text, long n) implements LinkMessage {}

    record Nameless(String x) implements LinkMessage {}

    final List<Object> handled = new ArrayList<>();
    final MessageTable table = new MessageTable(Mesh.JSON);

    MessageTableTest() {
        table.register(LinkMessage.Hello.class, null, true, (l, m) -> handled.add(m), "capabilities");
        table.register(LinkMessage.Ping.class, null, false, (l, m) -> handled.add(m));
        table.register(Note.class, "notes", false, (l, m) -> handled.add(m));
    }

    @Test
    void aKnownTypeReadsIntoItsRecordAndGoesToItsHandler() {
        MessageTable.Decoded d = table.decode("{\"type\":\"test-note\",\"text\":\"hi\",\"n\":3}");
        assertThat(d).isInstanceOf(MessageTable.Decoded.Known.class);
        MessageTable.Decoded.Known k = (MessageTable.Decoded.Known) d;
        assertThat(k.message()).isEqualTo(new Note("hi", 3));
        assertThat(k.registration().capability()).isEqualTo("notes");
        k.registration().dispatch(null, k.message());
        assertThat(handled).containsExactly(new Note("hi", 3));
    }

    @Test
    void encodingWritesTheType() throws Exception {
        String text = table.encode(new Note("x", 1));
        assertThat(Mesh.JSON.readTree(text).path("type").asText()).isEqualTo("test-note");
        assertThat(table.decode(text)).isEqualTo(new MessageTable.Decoded.Known(
                ((MessageTable.Decoded.Known) table.decode(text)).registration(), new Note("x", 1)));
    }

    @Test
    void anUnknownTypeIsToldApartFromMalformedText() {
        assertThat(table.decode("{\"type\":\"signal\",\"anything\":[1,2]}"))
                .isEqualTo(new MessageTable.Decoded.Unknown("signal"));
        assertThat(table.decode("not json")).isInstanceOf(MessageTable.Decoded.Malformed.class);
        assertThat(table.decode("[1,2]")).isInstanceOf(MessageTable.Decoded.Malformed.class);
        assertThat(table.decode("{\"n\":1}")).as("no type").isInstanceOf(MessageTable.Decoded.Malformed.class);
        assertThat(table.decode("{\"type\":5}")).isInstanceOf(MessageTable.Decoded.Malformed.class);
        assertThat(table.decode("{\"type\":\"ping\"}")).as("a required field missing")
                .isInstanceOf(MessageTable.Decoded.Malformed.class);
        assertThat(table.decode("{\"type\":\"ping\",\"n\":\"x\"}")).isInstanceOf(MessageTable.Decoded.Malformed.class);
        assertThat(table.decode("{\"type\":\"ping\",\"n\":null}")).isInstanceOf(MessageTable.Decoded.Malformed.class);
        assertThat(table.decode("{\"type\":\"test-note\",\"text\":\"a\",\"n\":1,\"extra\":true}"))
                .as("unknown fields are ignored").isInstanceOf(MessageTable.Decoded.Known.class);
    }

    @Test
    void aHelloWithoutCapabilitiesIsAVersionOneHello() throws Exception {
        LinkMessage.Hello v1 = RawLink.hello(Identity.ephemeral(), RawLink.nonce());
        String text = Mesh.JSON.writeValueAsString(v1);
        assertThat(text).doesNotContain("capabilities");
        LinkMessage m = ((MessageTable.Decoded.Known) table.decode(text)).message();
        assertThat(((LinkMessage.Hello) m).capabilities()).isNull();
        assertThat(Capabilities.announced(null)).isEqualTo(Capabilities.V1);

        LinkMessage.Hello v2 = new LinkMessage.Hello(1, v1.record(), v1.nonce(), List.of("gossip", "signal"));
        LinkMessage back = ((MessageTable.Decoded.Known) table.decode(table.encode(v2))).message();
        assertThat(back).isEqualTo(v2);
    }

    @Test
    void registrationsNeedAWireNameAValidCapabilityAndAreUnique() {
        assertThatThrownBy(() -> table.register(Nameless.class, "x", false, (l, m) -> { }))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("JsonTypeName");
        assertThatThrownBy(() -> table.register(Note.class, "other", false, (l, m) -> { }))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("registered already");
        assertThatThrownBy(() -> table.register(Nameless.class, "Not Valid", false, (l, m) -> { }))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(table.capabilities()).containsExactly("notes");
        assertThat(table.capabilityOf(LinkMessage.Ping.class)).isNull();
        assertThatThrownBy(() -> table.capabilityOf(Nameless.class)).isInstanceOf(IllegalArgumentException.class);
    }
}

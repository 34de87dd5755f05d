package org.btrelay.mesh;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class HandshakeTest {
    @Test
    void bothSidesOfADuplicateKeepTheSameLink() {
        String low = "0".repeat(32);
        String high = "f".repeat(32);
        // Each side's view: the new link is outbound (I dialled it) or not; the old one likewise.
        for (boolean newDialledByLow : new boolean[] {true, false}) {
            boolean oldDialledByLow = !newDialledByLow;
            boolean lowKeepsNew = Handshake.keepsNew(low, high, newDialledByLow, oldDialledByLow);
            boolean highKeepsNew = Handshake.keepsNew(high, low, !newDialledByLow, !oldDialledByLow);
            assertThat(lowKeepsNew).isEqualTo(highKeepsNew);
            assertThat(lowKeepsNew).as("the link dialled by the lower id survives").isEqualTo(newDialledByLow);
        }
        assertThat(Handshake.keepsNew(low, high, true, true)).as("same dialler: keep the old one").isFalse();
    }

    @Test
    void aLinkHasTheCapabilitiesBothSidesNamed() {
        Set<String> ours = Set.of("health", "gossip", "signal");
        assertThat(Handshake.shared(ours, Capabilities.V1)).containsExactlyInAnyOrder("health", "gossip");
        assertThat(Handshake.shared(ours, Set.of("gossip", "signal", "dialback", "future-thing")))
                .containsExactlyInAnyOrder("gossip", "signal");
        assertThat(Handshake.shared(ours, Set.of())).isEmpty();
    }

    @Test
    void announcedCapabilitiesAreBounded() {
        assertThat(Capabilities.announced(List.of("health", "x-1.2"))).containsExactlyInAnyOrder("health", "x-1.2");
        assertThat(Capabilities.announced(List.of())).isEmpty();
        List<String> many = new ArrayList<>();
        for (int i = 0; i <= Capabilities.MAX_COUNT; i++) {
            many.add("c" + i);
        }
        assertThat(Capabilities.announced(many)).as("too many").isNull();
        assertThat(Capabilities.announced(List.of("UPPER"))).isNull();
        assertThat(Capabilities.announced(List.of("x".repeat(Capabilities.MAX_LENGTH + 1)))).isNull();
        assertThat(Capabilities.announced(Collections.singletonList(null))).isNull();
        assertThat(Capabilities.announced(List.of(""))).isNull();
    }
}

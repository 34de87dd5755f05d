package org.btrelay.dht;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import lbms.plugins.mldht.kad.utils.AddressUtils;
import org.junit.jupiter.api.Test;

class LoopbackDhtTest {

    @Test
    void installIsIdempotentFromManyThreads() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> calls = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                calls.add(pool.submit(LoopbackDht::install));
            }
            for (Future<?> call : calls) {
                call.get();
            }
        } finally {
            pool.shutdown();
        }
        LoopbackDht.install();
        assertThat(LoopbackDht.isInstalled()).isTrue();
    }

    @Test
    void mldhtAcceptsLoopbackAndStillRefusesOtherPrivateAddresses() throws Exception {
        LoopbackDht.install();
        assertThat(AddressUtils.isGlobalUnicast(InetAddress.getByName("127.0.0.1"))).isTrue();
        assertThat(AddressUtils.isGlobalUnicast(LoopbackDht.address(254))).isTrue();
        assertThat(AddressUtils.isBogon(LoopbackDht.address(7), 6881)).isFalse();
        assertThat(AddressUtils.isBogon(LoopbackDht.address(7), 0)).as("port 0 stays a bogon").isTrue();
        for (String other : List.of("10.1.2.3", "192.168.1.1", "169.254.1.1", "0.0.0.0", "224.0.0.1", "::1")) {
            assertThat(AddressUtils.isGlobalUnicast(InetAddress.getByName(other))).as(other).isFalse();
        }
        assertThat(AddressUtils.isGlobalUnicast(InetAddress.getByName("1.1.1.1"))).isTrue();
    }

    @Test
    void mldhtSeesEveryLoopbackAddressAsLocalOnce() {
        LoopbackDht.install();
        List<InetAddress> all = AddressUtils.allAddresses().toList();
        assertThat(all).contains(LoopbackDht.address(1), LoopbackDht.address(2), LoopbackDht.address(254))
                .doesNotHaveDuplicates();
    }
}

package org.btrelay.lab;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import org.btrelay.mesh.MeshTiming;

/**
 * {@code mvn -q -Plab exec:java -Dlab.relays=N}: N relays on 127.0.0.2, 127.0.0.3, … with a
 * private DHT, until interrupted. Prints {@code relay <n> <http-url>} for each once it listens.
 */
public final class LabMain {
    private LabMain() {}

    public static void main(String[] args) throws Exception {
        int n = Integer.getInteger("lab.relays", 5);
        Path base = Files.createTempDirectory("bittorrent-relay-lab");
        LabNetwork lab = LabNetwork.start(n, true, MeshTiming.DEFAULTS, base);
        for (int i = 0; i < n; i++) {
            System.out.println("relay " + (i + 1) + " " + lab.httpUrl(i));
        }
        System.out.println("data folders in " + base + "; stop with Ctrl+C");
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            lab.close();
            stop.countDown();
        }));
        stop.await();
    }
}

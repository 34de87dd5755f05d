package org.btrelay.ui;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.awt.image.BufferedImage;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javafx.application.Application;
import javafx.application.Platform;
import javafx.scene.image.PixelReader;
import javafx.scene.image.WritableImage;
import javafx.stage.Stage;
import javax.imageio.ImageIO;
import org.btrelay.app.RelayNode;
import org.btrelay.app.RelaySettings;
import org.btrelay.health.CapacityThresholds;
import org.btrelay.lab.LabNetwork;
import org.btrelay.mesh.MeshTiming;

/**
 * The real dashboard with a lab network around it, for screenshots and demos (test scope: it
 * needs the lab's loopback DHT). Everything stays on 127.0.0.0/8: the lab relays on
 * 127.0.0.2…, the dashboard's relay on 127.0.0.1, all joined by the lab's private DHT.
 *
 * <pre>
 * java -cp target/test-classes:target/classes:$(cat target/test-classpath.txt) org.btrelay.ui.DashboardDemo \
 *     [--relays 12] [--peers 600] [--seconds 360] [--screenshots docs] [--dark] [--all-views]
 * </pre>
 * With {@code --screenshots DIR} it writes dashboard.png (Overview) and dashboard-relays.png
 * (Relays) after {@code --seconds}, then quits; otherwise it runs until the window is closed.
 */
public final class DashboardDemo {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static volatile DashboardApp app;
    private static volatile DashboardConfig config;

    private DashboardDemo() {}

    /** Hosts the real {@link DashboardApp} so this tool can reach its window. */
    public static final class Host extends Application {
        @Override
        public void start(Stage stage) {
            app = new DashboardApp(config);
            app.init();
            app.start(stage);
        }

        @Override
        public void stop() {
            app.stop();
        }
    }

    public static void main(String[] args) throws Exception {
        int relays = intArg(args, "--relays", 12);
        int peers = intArg(args, "--peers", 600);
        int seconds = intArg(args, "--seconds", 360);
        String shots = arg(args, "--screenshots", null);
        boolean dark = List.of(args).contains("--dark");

        Path base = Files.createTempDirectory("dashboard-demo");
        LabNetwork lab = LabNetwork.start(relays, true, MeshTiming.DEFAULTS, base.resolve("lab"));
        int labPort = URI.create(lab.httpUrl(0)).getPort();
        RelaySettings settings = RelaySettings.defaults().withName("home relay")
                .withNetwork("127.0.0.1", 0, true, -1)
                .withMesh(List.of(RelaySettings.DEFAULT_SWARM), List.of(LabNetwork.address(0).getHostAddress() + ":" + labPort),
                        List.of())
                .withCapacity(new CapacityThresholds(1, 1, 0.80, 0.95));
        Path data = Files.createDirectories(base.resolve("dashboard"));
        Files.writeString(data.resolve("dashboard.json"), "{\"dark\": " + dark + ", \"width\": 1360, \"height\": 880}");
        config = new DashboardConfig(settings, data, MeshTiming.DEFAULTS, Duration.ofSeconds(1), Duration.ofSeconds(2), true);
        Thread fx = new Thread(() -> Application.launch(Host.class), "demo-launcher");
        fx.start();
        while (app == null || app.service() == null || app.service().status().node() == null) {
            Thread.sleep(100);
        }
        RelayNode node = app.service().status().node();
        System.out.println("dashboard relay " + node.httpUrl() + ", lab of " + relays + " from " + lab.httpUrl(0));

        Traffic traffic = new Traffic(node.wsUrl() + "announce", lab, peers);
        traffic.start();
        if (shots == null) {
            fx.join();
        } else {
            Path dir = Path.of(shots);
            long end = System.currentTimeMillis() + seconds * 1000L;
            boolean stopped = false;
            while (System.currentTimeMillis() < end) {
                Thread.sleep(1000);
                if (!stopped && end - System.currentTimeMillis() < 40_000 && relays > 3) {
                    // One relay leaves before the picture: it shows as down.
                    lab.stopRelay(relays - 1);
                    stopped = true;
                }
            }
            String suffix = dark ? "-dark" : "";
            snapshot("overview", dir.resolve("dashboard" + suffix + ".png"));
            snapshot("relays", dir.resolve("dashboard-relays" + suffix + ".png"));
            if (List.of(args).contains("--all-views")) {
                for (String view : List.of("swarms", "torrents", "log", "settings")) {
                    snapshot(view, dir.resolve("dashboard-" + view + suffix + ".png"));
                }
            }
            Platform.runLater(() -> app.window().quit());
            fx.join(20_000);
        }
        traffic.close();
        lab.close();
        System.exit(0);
    }

    private static void snapshot(String view, Path file) throws Exception {
        Platform.runLater(() -> app.window().select(view));
        Thread.sleep(1000);
        if ("relays".equals(view)) {
            Platform.runLater(() -> {
                var table = (javafx.scene.control.TableView<?>) app.window().scene().lookup("#relays-table");
                if (table != null) {
                    table.getSelectionModel().select(1);
                }
            });
        }
        Thread.sleep(3000);
        CountDownLatch done = new CountDownLatch(1);
        Platform.runLater(() -> {
            try {
                WritableImage img = app.window().scene().snapshot(null);
                ImageIO.write(toAwt(img), "png", file.toFile());
                System.out.println("wrote " + file);
            } catch (Exception e) {
                e.printStackTrace();
            } finally {
                done.countDown();
            }
        });
        done.await(20, TimeUnit.SECONDS);
    }

    static BufferedImage toAwt(WritableImage img) {
        int w = (int) img.getWidth();
        int h = (int) img.getHeight();
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_ARGB);
        PixelReader r = img.getPixelReader();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                out.setRGB(x, y, r.getArgb(x, y));
            }
        }
        return out;
    }

    /**
     * Browser-like peers, joining a few every second: most on the dashboard's relay, some on lab
     * relays; each re-announces now and then with two WebRTC offers.
     */
    static final class Traffic implements AutoCloseable {
        private final String dashboardUrl;
        private final LabNetwork lab;
        private final int target;
        private final HttpClient http = HttpClient.newHttpClient();
        private final List<Peer> peers = new ArrayList<>();
        private final Random random = new Random(7);
        private volatile boolean closed;
        private Thread thread;

        Traffic(String dashboardUrl, LabNetwork lab, int target) {
            this.dashboardUrl = dashboardUrl;
            this.lab = lab;
            this.target = target;
        }

        record Peer(WebSocket ws, String infoHash, String peerId) {}

        void start() {
            thread = new Thread(this::run, "demo-traffic");
            thread.setDaemon(true);
            thread.start();
        }

        private void run() {
            int n = 0;
            while (!closed) {
                try {
                    int joining = n < target ? Math.max(1, target / 150) : 0;
                    for (int i = 0; i < joining; i++, n++) {
                        boolean home = random.nextInt(4) != 0;
                        int labRelay = random.nextInt(lab.size());
                        RelayNode r = home ? null : lab.relay(labRelay);
                        String url = home ? dashboardUrl : r == null ? dashboardUrl : r.wsUrl() + "announce";
                        String infoHash = id("torrent-" + (int) Math.floor(Math.pow(random.nextDouble(), 2) * 80));
                        Peer p = new Peer(open(url), infoHash, id("peer-" + n));
                        peers.add(p);
                        announce(p, "started");
                    }
                    for (int i = 0; i < Math.min(peers.size(), 3 + random.nextInt(6)); i++) {
                        announce(peers.get(random.nextInt(peers.size())), null);
                    }
                    Thread.sleep(1000);
                } catch (InterruptedException e) {
                    return;
                } catch (RuntimeException e) {
                    // a lab relay that went away: its peers are gone too
                }
            }
        }

        private WebSocket open(String url) {
            return http.newWebSocketBuilder().buildAsync(URI.create(url), new WebSocket.Listener() {
                @Override
                public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                    ws.request(1);
                    return null;
                }
            }).join();
        }

        private void announce(Peer p, String event) {
            ObjectNode o = JSON.createObjectNode();
            o.put("action", "announce");
            o.put("info_hash", p.infoHash());
            o.put("peer_id", p.peerId());
            o.put("numwant", 2);
            o.put("uploaded", 0);
            o.put("downloaded", 0);
            o.put("left", random.nextInt(3) == 0 ? 0 : 1000);
            if (event != null) {
                o.put("event", event);
            }
            var offers = o.putArray("offers");
            for (int i = 0; i < 2; i++) {
                ObjectNode offer = offers.addObject();
                offer.putObject("offer").put("type", "offer").put("sdp", "v=0\r\no=- " + random.nextInt() + " 2 IN IP4 127.0.0.1\r\n");
                offer.put("offer_id", id("offer-" + random.nextInt()));
            }
            if (!p.ws().isOutputClosed()) {
                p.ws().sendText(o.toString(), true).orTimeout(5, TimeUnit.SECONDS).join();
            }
        }

        /** A 20-character Latin-1 id from a label. */
        static String id(String label) {
            StringBuilder b = new StringBuilder(label);
            char fill = (char) (0xC0 + (label.hashCode() & 0x3F));
            while (b.length() < 20) {
                b.append(fill);
            }
            return b.substring(0, 20);
        }

        @Override
        public void close() {
            closed = true;
            if (thread != null) {
                thread.interrupt();
            }
            for (Peer p : peers) {
                p.ws().abort();
            }
        }
    }

    private static String arg(String[] args, String name, String def) {
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return def;
    }

    private static int intArg(String[] args, String name, int def) {
        return Integer.parseInt(arg(args, name, Integer.toString(def)));
    }
}

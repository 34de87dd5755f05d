package org.btrelay.app;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.reflect.RecordComponent;
import java.net.BindException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.btrelay.mesh.MeshTiming;
import org.btrelay.tracker.Limits;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The {@code bittorrent-relay} command. */
@Command(name = "bittorrent-relay",
        mixinStandardHelpOptions = true,
        versionProvider = Main.VersionProvider.class,
        subcommands = org.btrelay.bench.BenchCommand.class,
        sortOptions = false,
        description = {
            "A WebTorrent tracker (WebSocket and HTTP) that joins other relays into a swarm of trackers.",
            "Settings come from settings.json in the data folder; options given here override them."},
        footer = {"", "Limits (--limit NAME=VALUE) and their defaults:", "%n${LIMITS}"})
public final class Main implements Callable<Integer> {
    static final int EXIT_USAGE = 2;

    @Option(names = "--headless", description = "Run without the dashboard, until interrupted.")
    boolean headless;

    @Option(names = "--port", paramLabel = "N",
            description = "HTTP and WebSocket port (default ${DEFAULT-PORT}; 0 picks a free one).")
    Integer port;

    @Option(names = "--host", paramLabel = "ADDR", description = "Address to bind (default: every address).")
    String host;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Folder for settings and state (default: ${DEFAULT-DATA-DIR}).")
    Path dataDir;

    @Option(names = "--interval", paramLabel = "SECONDS",
            description = "Announce interval asked of clients (default 120).")
    Integer interval;

    @Option(names = "--public-url", paramLabel = "URL",
            description = "How others reach this relay, e.g. https://relay.example.org.")
    String publicUrl;

    @Option(names = "--name", paramLabel = "NAME", description = "This relay's name, shown to others.")
    String name;

    @Option(names = "--limit", paramLabel = "NAME=VALUE", description = "Override one limit (repeatable).")
    Map<String, Integer> limits = new LinkedHashMap<>();

    @Option(names = "--swarm", paramLabel = "KEY",
            description = "Join this swarm of relays (repeatable; default bittorrent-relay).")
    List<String> swarms;

    @Option(names = "--no-dht", description = "Do not use the DHT (link only to --peer relays).")
    boolean noDht;

    @Option(names = "--dht-port", paramLabel = "N", description = "UDP port of the DHT (default: the HTTP port).")
    Integer dhtPort;

    @Option(names = "--bootstrap", paramLabel = "HOST:PORT",
            description = "Start the DHT from this node instead of the public routers (repeatable).")
    List<String> bootstrap;

    @Option(names = "--peer", paramLabel = "URL", description = "Link to this relay directly (repeatable).")
    List<String> peers;

    private final PrintWriter out;
    private final PrintWriter err;
    /** Counted down by SIGINT/SIGTERM (or by tests) to stop a headless relay. */
    final CountDownLatch stop = new CountDownLatch(1);

    Main(PrintWriter out, PrintWriter err) {
        this.out = out;
        this.err = err;
    }

    public static void main(String[] args) {
        int code = run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true));
        System.exit(code);
    }

    static int run(String[] args, PrintWriter out, PrintWriter err) {
        Main main = new Main(out, err);
        CommandLine cli = new CommandLine(main);
        cli.setOut(out);
        cli.setErr(err);
        cli.setParameterExceptionHandler((e, a) -> {
            err.println("bittorrent-relay: " + e.getMessage() + " (see --help)");
            return EXIT_USAGE;
        });
        cli.setExecutionExceptionHandler((e, c, p) -> {
            err.println("bittorrent-relay: " + e);
            return 1;
        });
        return cli.execute(args);
    }

    @Override
    public Integer call() {
        HeapDefaults.apply();
        Path dir = dataDir != null ? dataDir : DataDirs.defaultDir();
        SettingsStore store = new SettingsStore(dir);
        RelaySettings settings;
        try {
            Files.createDirectories(dir);
            store.createIfMissing();
            settings = store.load(overrides());
        } catch (SettingsStore.SettingsException e) {
            err.println("bittorrent-relay: " + e.getMessage());
            return EXIT_USAGE;
        } catch (IOException e) {
            err.println("bittorrent-relay: cannot use data folder " + dir + ": " + e.getMessage());
            return EXIT_USAGE;
        }
        if (!headless) {
            // The dashboard owns its relay; JavaFX is loaded only on this path.
            return org.btrelay.ui.Dashboard.run(settings, dir, err);
        }
        RelayNode node;
        try {
            node = new RelayNode(settings, dir, MeshTiming.DEFAULTS);
        } catch (IllegalStateException e) {
            err.println("bittorrent-relay: " + e.getMessage());
            return EXIT_USAGE;
        }
        try {
            node.start();
        } catch (BindException e) {
            String where = (settings.host().isEmpty() ? "*" : settings.host()) + ":" + settings.port();
            boolean dht = e.getCause() instanceof IOException;
            err.println("bittorrent-relay: " + (dht ? "cannot start the DHT: " + e.getMessage()
                    + " (choose another --dht-port, or --no-dht)"
                    : "cannot listen on " + where + ": " + e.getMessage()
                    + " (is another relay running? choose another --port)"));
            node.close();
            return EXIT_USAGE;
        }
        out.println("listening " + node.wsUrl() + " " + node.httpUrl());
        out.flush();
        Thread hook = new Thread(node::close, "relay-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        Signals.onTermination(stop::countDown);
        try {
            stop.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        node.close();
        return 0;
    }

    /** The options that were given, as a settings tree to lay over the file. */
    ObjectNode overrides() throws SettingsStore.SettingsException {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        if (name != null) {
            o.put("name", name);
        }
        if (host != null) {
            o.put("host", host);
        }
        if (port != null) {
            o.put("port", port);
        }
        if (publicUrl != null) {
            o.put("publicUrl", publicUrl);
        }
        if (interval != null) {
            o.put("interval", interval);
        }
        if (swarms != null) {
            o.set("swarms", o.arrayNode().addAll(swarms.stream().map(o::textNode).toList()));
        }
        if (noDht) {
            o.put("dht", false);
        }
        if (dhtPort != null) {
            o.put("dhtPort", dhtPort);
        }
        if (bootstrap != null) {
            o.set("bootstrap", o.arrayNode().addAll(bootstrap.stream().map(o::textNode).toList()));
        }
        if (peers != null) {
            o.set("peers", o.arrayNode().addAll(peers.stream().map(o::textNode).toList()));
        }
        if (!limits.isEmpty()) {
            ObjectNode l = o.putObject("limits");
            for (Map.Entry<String, Integer> e : limits.entrySet()) {
                if (Arrays.stream(Limits.class.getRecordComponents()).noneMatch(c -> c.getName().equals(e.getKey()))) {
                    throw new SettingsStore.SettingsException("unknown limit '" + e.getKey() + "' (see --help)");
                }
                l.put(e.getKey(), e.getValue());
            }
        }
        return o;
    }

    static String limitsHelp() {
        StringBuilder b = new StringBuilder();
        for (RecordComponent c : Limits.class.getRecordComponents()) {
            try {
                b.append(String.format("  %-28s %s%n", c.getName(), c.getAccessor().invoke(Limits.DEFAULTS)));
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }
        return b.toString();
    }

    static final class VersionProvider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"bittorrent-relay " + Version.get()};
        }
    }

    static {
        System.setProperty("DEFAULT-PORT", Integer.toString(RelaySettings.DEFAULT_PORT));
        System.setProperty("DEFAULT-DATA-DIR", DataDirs.defaultDir().toString());
        System.setProperty("LIMITS", limitsHelp());
    }
}

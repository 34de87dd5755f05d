package org.btrelay.bench;

import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code bittorrent-relay bench}: loads a WebTorrent tracker like many browsers would. */
@Command(name = "bench",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Load generator for any WebTorrent (WebSocket) tracker: simulated browser peers announce with "
                    + "WebRTC offers, answer a share of the offers they receive and scrape now and then.",
            "Prints a summary, then one JSON line with responsesPerSecond, announcesPerSecond, latencyP50Ms, "
                    + "latencyP99Ms and errors. Only loopback targets unless --allow-remote is given."},
        footer = {"", "Example:",
            "  bittorrent-relay bench --url ws://127.0.0.1:10509/announce \\",
            "      --connections 1000 --torrents 50 --offers 10 --duration 30s --warmup 5s"})
public final class BenchCommand implements Callable<Integer> {
    static final int EXIT_USAGE = 2;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--url", paramLabel = "URL", defaultValue = "ws://127.0.0.1:10509/announce",
            description = "Tracker to load (default ${DEFAULT-VALUE}).")
    URI url;

    @Option(names = "--connections", paramLabel = "C", defaultValue = "1000",
            description = "WebSocket connections, one browser peer each (default ${DEFAULT-VALUE}).")
    int connections;

    @Option(names = "--torrents", paramLabel = "T", defaultValue = "50",
            description = "Distinct torrents; connection c joins torrent c mod T (default ${DEFAULT-VALUE}).")
    int torrents;

    @Option(names = "--torrents-per-connection", paramLabel = "K", defaultValue = "1",
            description = "Torrents each connection joins under its peer_id (default ${DEFAULT-VALUE}).")
    int torrentsPerConnection;

    @Option(names = "--offers", paramLabel = "N", defaultValue = "10",
            description = "WebRTC offers per announce (default ${DEFAULT-VALUE}; webtorrent sends 5).")
    int offers;

    @Option(names = "--sdp-bytes", paramLabel = "BYTES", defaultValue = "500",
            description = "Size of each offer's and answer's SDP (default ${DEFAULT-VALUE}).")
    int sdpBytes;

    @Option(names = "--duration", paramLabel = "TIME", defaultValue = "30s", converter = DurationConverter.class,
            description = "Measured time, e.g. 30s, 500ms, 2m (default ${DEFAULT-VALUE}).")
    Duration duration;

    @Option(names = "--warmup", paramLabel = "TIME", defaultValue = "5s", converter = DurationConverter.class,
            description = "Load before measuring (default ${DEFAULT-VALUE}).")
    Duration warmup;

    @Option(names = "--seed-share", paramLabel = "S", defaultValue = "0.2",
            description = "Share of peers that are seeders (default ${DEFAULT-VALUE}).")
    double seedShare;

    @Option(names = "--answer-share", paramLabel = "A", defaultValue = "1.0",
            description = "Share of received offers answered (default ${DEFAULT-VALUE}: a webtorrent client "
                    + "answers every offer it gets).")
    double answerShare;

    @Option(names = "--scrape-share", paramLabel = "S", defaultValue = "0.01",
            description = "Share of requests that are scrapes (default ${DEFAULT-VALUE}).")
    double scrapeShare;

    @Option(names = "--rate", paramLabel = "R", defaultValue = "0",
            description = "Announces per second over all connections; 0 = as fast as the tracker answers "
                    + "(each connection re-announces when its reply arrives) (default ${DEFAULT-VALUE}).")
    double rate;

    @Option(names = "--source-addresses", paramLabel = "RANGE",
            description = "Local addresses to spread connections over, e.g. 127.0.0.2-127.0.0.9 or "
                    + "127.0.0.2,127.0.0.3 (one address has ~28,000 ports).")
    String sourceAddresses;

    @Option(names = "--threads", paramLabel = "N",
            description = "Event-loop threads (default: one per core, ${DEFAULT-THREADS}).")
    Integer threads;

    @Option(names = "--connect-timeout", paramLabel = "TIME", defaultValue = "120s", converter = DurationConverter.class,
            description = "Time allowed for opening every connection (default ${DEFAULT-VALUE}).")
    Duration connectTimeout;

    @Option(names = "--allow-remote",
            description = "Allow a tracker or source address outside loopback (127.0.0.0/8, ::1).")
    boolean allowRemote;

    static {
        System.setProperty("DEFAULT-THREADS", Integer.toString(Runtime.getRuntime().availableProcessors()));
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        BenchConfig config;
        try {
            config = config();
        } catch (IllegalArgumentException e) {
            err.println("bittorrent-relay bench: " + e.getMessage());
            return EXIT_USAGE;
        }
        BenchResult result = new LoadGenerator(config, err).run();
        result.print(out);
        return result.opened() == 0 ? 1 : 0;
    }

    BenchConfig config() {
        List<InetAddress> sources = sourceAddresses == null ? List.of() : parseAddresses(sourceAddresses);
        BenchConfig c = new BenchConfig(url, connections, torrents, torrentsPerConnection, offers, sdpBytes,
                duration, warmup, seedShare, answerShare, scrapeShare, rate, sources,
                threads != null ? threads : Runtime.getRuntime().availableProcessors(), connectTimeout);
        List<String> problems = new ArrayList<>(c.problems());
        if (problems.isEmpty() && !allowRemote) {
            try {
                InetAddress target = InetAddress.getByName(url.getHost());
                if (!target.isLoopbackAddress()) {
                    problems.add(url.getHost() + " is not a loopback address (pass --allow-remote to load it)");
                }
            } catch (UnknownHostException e) {
                problems.add("unknown host " + url.getHost());
            }
            for (InetAddress a : sources) {
                if (!a.isLoopbackAddress()) {
                    problems.add("source address " + a.getHostAddress() + " is not a loopback address");
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
        return c;
    }

    /** {@code 127.0.0.2-127.0.0.9}, {@code 127.0.0.2,127.0.0.5} or one address. */
    static List<InetAddress> parseAddresses(String spec) {
        List<InetAddress> out = new ArrayList<>();
        for (String part : spec.split(",")) {
            part = part.trim();
            if (part.isEmpty()) {
                continue;
            }
            int dash = part.indexOf('-');
            try {
                if (dash < 0) {
                    out.add(InetAddress.getByName(literal(part)));
                    continue;
                }
                byte[] from = InetAddress.getByName(literal(part.substring(0, dash).trim())).getAddress();
                byte[] to = InetAddress.getByName(literal(part.substring(dash + 1).trim())).getAddress();
                if (from.length != 4 || to.length != 4) {
                    throw new IllegalArgumentException("address ranges are IPv4 only: " + part);
                }
                long a = toLong(from);
                long b = toLong(to);
                if (b < a || b - a > 65_535) {
                    throw new IllegalArgumentException("bad address range " + part);
                }
                for (long v = a; v <= b; v++) {
                    out.add(InetAddress.getByAddress(new byte[] {(byte) (v >> 24), (byte) (v >> 16), (byte) (v >> 8), (byte) v}));
                }
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("bad address " + part);
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("--source-addresses names no address");
        }
        return out;
    }

    /** Only numeric addresses: a name would need a DNS lookup. */
    private static String literal(String s) {
        if (!s.matches("[0-9.]+|[0-9a-fA-F:]+")) {
            throw new IllegalArgumentException("not a numeric address: " + s);
        }
        return s;
    }

    private static long toLong(byte[] ip) {
        return ((ip[0] & 0xFFL) << 24) | ((ip[1] & 0xFFL) << 16) | ((ip[2] & 0xFFL) << 8) | (ip[3] & 0xFFL);
    }

    static String format(Duration d) {
        long ms = d.toMillis();
        return ms % 1000 == 0 ? (ms / 1000) + " s" : String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
    }

    /** {@code 30s}, {@code 500ms}, {@code 2m}, {@code 1h}, or plain seconds. */
    static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
        private static final Pattern FORMAT = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h)?");

        @Override
        public Duration convert(String value) {
            Matcher m = FORMAT.matcher(value.trim().toLowerCase(Locale.ROOT));
            if (!m.matches()) {
                throw new CommandLine.TypeConversionException("'" + value + "' is not a duration like 30s or 500ms");
            }
            double n = Double.parseDouble(m.group(1));
            String unit = m.group(2) == null ? "s" : m.group(2);
            double millis = switch (unit) {
                case "ms" -> n;
                case "m" -> n * 60_000;
                case "h" -> n * 3_600_000;
                default -> n * 1000;
            };
            return Duration.ofMillis(Math.round(millis));
        }
    }
}

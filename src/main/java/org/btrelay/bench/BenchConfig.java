package org.btrelay.bench;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One load-generator run.
 *
 * @param url                    the tracker, {@code ws://host:port/path}
 * @param connections            WebSocket connections, one simulated browser each
 * @param torrents               distinct info_hashes; connection {@code c} joins torrent {@code c % torrents}
 *                               (and the next ones, see {@code torrentsPerConnection})
 * @param torrentsPerConnection  torrents each connection joins under its one peer_id (a browser with
 *                               several torrents open); each has its own announce in flight
 * @param offers                 WebRTC offers per announce
 * @param sdpBytes               size of each offer's and answer's SDP text
 * @param duration               the measured part of the run
 * @param warmup                 load before measuring, not counted
 * @param seedShare              share of peers that announce as seeders ({@code left: 0})
 * @param answerShare            share of received offers that are answered
 * @param scrapeShare            share of requests that are scrapes instead of announces
 * @param rate                   announces per second over all connections; 0 = as fast as the
 *                               tracker answers (each connection re-announces as soon as it got its reply)
 * @param sourceAddresses        local addresses to spread connections over (empty = the OS chooses)
 * @param threads                event-loop threads
 * @param connectTimeout         how long connecting every connection may take
 */
record BenchConfig(
        URI url,
        int connections,
        int torrents,
        int torrentsPerConnection,
        int offers,
        int sdpBytes,
        Duration duration,
        Duration warmup,
        double seedShare,
        double answerShare,
        double scrapeShare,
        double rate,
        List<InetAddress> sourceAddresses,
        int threads,
        Duration connectTimeout) {

    BenchConfig {
        sourceAddresses = List.copyOf(sourceAddresses);
    }

    /** Human-readable problems; empty when the run can start. */
    List<String> problems() {
        List<String> out = new ArrayList<>();
        String scheme = url.getScheme();
        if (scheme == null || !scheme.equalsIgnoreCase("ws")) {
            out.add("--url must be a ws:// URL (wss is not supported by the generator)");
        }
        if (url.getHost() == null) {
            out.add("--url has no host");
        }
        if (connections < 1) {
            out.add("--connections must be at least 1");
        }
        if (torrents < 1) {
            out.add("--torrents must be at least 1");
        }
        if (torrentsPerConnection < 1 || torrentsPerConnection > torrents) {
            out.add("--torrents-per-connection must be between 1 and --torrents");
        }
        if (offers < 0 || offers > 100) {
            out.add("--offers must be between 0 and 100");
        }
        if (sdpBytes < 50 || sdpBytes > 16_000) {
            out.add("--sdp-bytes must be between 50 and 16000");
        }
        if (duration.isNegative() || duration.isZero()) {
            out.add("--duration must be positive");
        }
        if (warmup.isNegative()) {
            out.add("--warmup must not be negative");
        }
        share(out, "--seed-share", seedShare);
        share(out, "--answer-share", answerShare);
        if (!(scrapeShare >= 0 && scrapeShare < 1)) {
            out.add("--scrape-share must be at least 0 and below 1");
        }
        if (!(rate >= 0)) {
            out.add("--rate must not be negative");
        }
        if (threads < 1 || threads > 256) {
            out.add("--threads must be between 1 and 256");
        }
        return out;
    }

    private static void share(List<String> out, String name, double v) {
        if (!(v >= 0 && v <= 1)) {
            out.add(name + " must be between 0 and 1");
        }
    }

    int port() {
        return url.getPort() > 0 ? url.getPort() : 80;
    }

    /** The request target of the upgrade request. */
    String path() {
        String p = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
        return url.getRawQuery() == null ? p : p + "?" + url.getRawQuery();
    }

    String hostHeader() {
        String h = url.getHost();
        return (h.contains(":") && !h.startsWith("[") ? "[" + h + "]" : h) + ":" + port();
    }

    InetSocketAddress target() {
        return new InetSocketAddress(url.getHost(), port());
    }
}

package org.btrelay.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.util.Map;
import java.util.function.Supplier;
import org.btrelay.tracker.PeerCensus;
import org.btrelay.tracker.TrackerStats;

/** {@code /stats} (a page for people) and {@code /stats.json} (for programs), from live counters. */
public final class StatsPages {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final NodeInfo info;
    private final Supplier<TrackerStats.Snapshot> stats;
    private final Supplier<PeerCensus> census;

    /** What the pages say about the relay itself. */
    public record NodeInfo(String name, String version, long startedAtMillis) {}

    public StatsPages(NodeInfo info, Supplier<TrackerStats.Snapshot> stats, Supplier<PeerCensus> census) {
        this.info = info;
        this.stats = stats;
        this.census = census;
    }

    /**
     * The reference tracker's fields first, with its meaning (peers counted once each by peer_id
     * across torrents), so that its dashboards and scripts read this relay unchanged; then this
     * relay's own: {@code peers}, {@code seeders} and {@code leechers} count a peer once per torrent.
     */
    ObjectNode json(TrackerStats.Snapshot s, PeerCensus c) {
        ObjectNode o = JSON.createObjectNode();
        o.put("torrents", s.torrents());
        o.put("activeTorrents", s.activeTorrents());
        o.put("peersAll", c.peers());
        o.put("peersSeederOnly", c.seederOnly());
        o.put("peersLeecherOnly", c.leecherOnly());
        o.put("peersSeederAndLeecher", c.seederAndLeecher());
        o.put("peersIPv4", c.ipv4());
        o.put("peersIPv6", c.ipv6());
        o.set("clients", JSON.valueToTree(c.clients()));
        o.put("name", info.name());
        o.put("version", info.version());
        o.put("uptimeSeconds", (System.currentTimeMillis() - info.startedAtMillis()) / 1000);
        o.put("peers", s.peers());
        o.put("seeders", s.seeders());
        o.put("leechers", s.leechers());
        o.put("connections", s.connections());
        o.put("announces", s.announces());
        o.put("announcesPerSecond", round(s.announcesPerSecond()));
        o.put("offersForwarded", s.offersForwarded());
        o.put("offersPerSecond", round(s.offersForwardedPerSecond()));
        o.put("answersForwarded", s.answersForwarded());
        o.put("answersPerSecond", round(s.answersForwardedPerSecond()));
        o.put("scrapes", s.scrapes());
        o.put("refusals", s.refusals());
        o.put("offersDropped", s.offersDropped());
        return o;
    }

    public HttpHandler jsonHandler() {
        return exchange -> {
            exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
            Http.cors(exchange);
            Http.noStore(exchange);
            exchange.getResponseSender().send(JSON.writeValueAsString(json(stats.get(), census.get())));
        };
    }

    /** The page for people; the JSON for a client that asks for it (as the reference tracker does). */
    public HttpHandler htmlHandler() {
        HttpHandler json = jsonHandler();
        return exchange -> {
            if (wantsJson(exchange.getRequestHeaders().getFirst(Headers.ACCEPT))) {
                json.handleRequest(exchange);
                return;
            }
            exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/html; charset=utf-8");
            Http.noStore(exchange);
            exchange.getResponseSender().send(html(exchange, stats.get()));
        };
    }

    /** {@code Accept: application/json} (what the reference answers JSON to), not a browser's list. */
    static boolean wantsJson(String accept) {
        return accept != null && accept.contains("application/json") && !accept.contains("text/html");
    }

    String html(HttpServerExchange exchange, TrackerStats.Snapshot s) {
        String host = exchange.getHostAndPort();
        StringBuilder b = new StringBuilder(4096);
        b.append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
                .append("<meta http-equiv=\"refresh\" content=\"5\">")
                .append("<title>").append(esc(info.name())).append(" · BitTorrent Relay</title><style>")
                .append("body{font:15px/1.5 system-ui,sans-serif;margin:2rem auto;max-width:52rem;padding:0 1rem;")
                .append("color:#1d2433;background:#f6f7fb}h1{font-size:1.5rem;margin:0}")
                .append(".sub{color:#5b6478;margin:.2rem 0 1.5rem}code{background:#e8ebf3;padding:.1rem .35rem;border-radius:4px}")
                .append(".tiles{display:grid;grid-template-columns:repeat(auto-fill,minmax(9.5rem,1fr));gap:.75rem;margin:1rem 0}")
                .append(".tile{background:#fff;border-radius:10px;padding:.8rem 1rem;box-shadow:0 1px 3px #0001}")
                .append(".tile b{display:block;font-size:1.6rem;font-variant-numeric:tabular-nums}")
                .append(".tile span{color:#5b6478;font-size:.85rem}table{border-collapse:collapse;width:100%;background:#fff;")
                .append("border-radius:10px;overflow:hidden;box-shadow:0 1px 3px #0001}td,th{padding:.45rem .8rem;text-align:left;")
                .append("border-bottom:1px solid #eef0f5}th{background:#eef0f5;font-weight:600}")
                .append("@media(prefers-color-scheme:dark){body{background:#12151c;color:#e4e8f1}.tile,table{background:#1c212b}")
                .append("code,th{background:#2a303c}.sub,.tile span{color:#9aa3b5}td{border-color:#2a303c}}")
                .append("</style></head><body>");
        b.append("<h1>").append(esc(info.name())).append("</h1>")
                .append("<p class=\"sub\">BitTorrent Relay ").append(esc(info.version()))
                .append(" · up ").append(duration((System.currentTimeMillis() - info.startedAtMillis()) / 1000))
                .append(" · WebTorrent tracker at <code>ws://").append(esc(host)).append("/announce</code>")
                .append(" · HTTP tracker at <code>http://").append(esc(host)).append("/announce</code></p>");
        b.append("<div class=\"tiles\">");
        tile(b, "connections", Long.toString(s.connections()));
        tile(b, "peers", Long.toString(s.peers()));
        tile(b, "seeders", Long.toString(s.seeders()));
        tile(b, "leechers", Long.toString(s.leechers()));
        tile(b, "torrents", s.activeTorrents() + " active of " + s.torrents());
        tile(b, "announces/s", String.format("%.1f", s.announcesPerSecond()));
        tile(b, "offers/s", String.format("%.1f", s.offersForwardedPerSecond()));
        tile(b, "IPv4 / IPv6 peers", s.peersIpv4() + " / " + s.peersIpv6());
        b.append("</div><h2>Clients</h2><table><tr><th>Client</th><th>Version</th><th>Peers</th></tr>");
        if (s.clients().isEmpty()) {
            b.append("<tr><td colspan=\"3\">No peers yet.</td></tr>");
        }
        for (Map.Entry<String, Map<String, Long>> c : s.clients().entrySet()) {
            for (Map.Entry<String, Long> v : c.getValue().entrySet()) {
                b.append("<tr><td>").append(esc(c.getKey())).append("</td><td>").append(esc(v.getKey()))
                        .append("</td><td>").append(v.getValue()).append("</td></tr>");
            }
        }
        b.append("</table><p class=\"sub\">Also as <a href=\"/stats.json\">JSON</a>.</p></body></html>");
        return b.toString();
    }

    private static void tile(StringBuilder b, String label, String value) {
        b.append("<div class=\"tile\"><b>").append(esc(value)).append("</b><span>").append(esc(label))
                .append("</span></div>");
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }

    static String duration(long seconds) {
        if (seconds < 120) {
            return seconds + " s";
        }
        if (seconds < 7200) {
            return seconds / 60 + " min";
        }
        if (seconds < 172800) {
            return seconds / 3600 + " h";
        }
        return seconds / 86400 + " days";
    }

    static String esc(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }
}

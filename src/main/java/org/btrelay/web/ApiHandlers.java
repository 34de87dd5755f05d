package org.btrelay.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.StatusCodes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Supplier;
import org.btrelay.mesh.Mesh;
import org.btrelay.mesh.Rendezvous;
import org.btrelay.mesh.RelayView;

/** {@code /api/node} and {@code /api/relays}: what browsers and site owners ask of the swarm. */
public final class ApiHandlers {
    static final ObjectMapper JSON = new ObjectMapper();
    public static final String DEFAULT_SWARM = "bittorrent-relay";

    private final Supplier<Mesh> meshRef;
    private final Supplier<ObjectNode> dhtStatus;

    /**
     * The mesh is started after the server binds (it needs the real port), hence a supplier;
     * {@link RelayServer} holds these routes until it is there.
     */
    public ApiHandlers(Supplier<Mesh> mesh, Supplier<ObjectNode> dhtStatus) {
        this.meshRef = mesh;
        this.dhtStatus = dhtStatus;
    }

    public HttpHandler node() {
        return exchange -> {
            Mesh mesh = meshRef.get();
            ObjectNode o = JSON.createObjectNode();
            RelayView self = mesh.relays().get(0);
            o.set("record", JSON.valueToTree(mesh.selfRecord()));
            o.set("health", JSON.valueToTree(self.health()));
            o.set("dht", dhtStatus.get());
            reply(exchange, StatusCodes.OK, o);
        };
    }

    public HttpHandler relays() {
        return exchange -> {
            var q = exchange.getQueryParameters();
            String swarm = q.containsKey("swarm") ? q.get("swarm").getFirst() : DEFAULT_SWARM;
            byte[] infoHash = null;
            if (q.containsKey("info_hash")) {
                String hex = q.get("info_hash").getFirst();
                try {
                    infoHash = hex.length() == 40 ? HexFormat.of().parseHex(hex) : null;
                } catch (IllegalArgumentException e) {
                    infoHash = null;
                }
                if (infoHash == null) {
                    reply(exchange, StatusCodes.BAD_REQUEST,
                            JSON.createObjectNode().put("error", "info_hash must be 40 hex digits"));
                    return;
                }
            }
            Mesh mesh = meshRef.get();
            ObjectNode o = JSON.createObjectNode();
            o.put("swarm", swarm);
            ArrayNode arr = o.putArray("relays");
            for (RelayView r : ordered(mesh.relays(), swarm, infoHash)) {
                arr.add(view(r));
            }
            reply(exchange, StatusCodes.OK, o);
        };
    }

    /**
     * The swarm's relays: healthy ones first (by rendezvous order for a torrent), then the rest. A
     * relay that says it is full is left out until it recovers.
     */
    static List<RelayView> ordered(List<RelayView> all, String swarm, byte[] infoHash) {
        List<RelayView> healthy = new ArrayList<>();
        List<RelayView> others = new ArrayList<>();
        for (RelayView r : all) {
            if (r.swarms().contains(swarm) && !r.full()) {
                (r.healthy() ? healthy : others).add(r);
            }
        }
        if (infoHash != null) {
            Rendezvous.order(healthy, infoHash, RelayView::id);
        } else {
            healthy.sort(Comparator.comparing((RelayView r) -> !r.self())
                    .thenComparing(r -> r.rttMs() == null ? Double.MAX_VALUE : r.rttMs()));
        }
        others.sort(Comparator.comparing(RelayView::state).thenComparing(RelayView::name));
        healthy.addAll(others);
        return healthy;
    }

    static ObjectNode view(RelayView r) {
        ObjectNode o = JSON.createObjectNode();
        o.put("id", r.id());
        o.put("name", r.name());
        o.set("trackers", JSON.valueToTree(r.trackers()));
        o.put("state", r.state());
        if (r.rttMs() == null) {
            o.putNull("rttMs");
        } else {
            o.put("rttMs", r.rttMs());
        }
        o.set("health", JSON.valueToTree(r.health()));
        o.put("self", r.self());
        o.put("software", r.software());
        o.put("httpUrl", r.httpUrl());
        o.put("lastSeen", r.lastSeenMillis());
        return o;
    }

    private static void reply(HttpServerExchange exchange, int status, ObjectNode body) throws Exception {
        exchange.setStatusCode(status);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
        Http.cors(exchange);
        Http.noStore(exchange);
        exchange.getResponseSender().send(JSON.writeValueAsString(body));
    }
}

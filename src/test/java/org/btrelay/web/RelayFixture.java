package org.btrelay.web;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.function.UnaryOperator;
import org.btrelay.app.RelayNode;
import org.btrelay.app.RelaySettings;
import org.btrelay.tracker.Limits;

/** A real relay on 127.0.0.1 and a free port, for tests that talk to it over sockets. */
final class RelayFixture implements AutoCloseable {
    static final HttpClient HTTP = HttpClient.newHttpClient();

    final RelayNode node;

    RelayFixture() throws Exception {
        this(l -> l);
    }

    RelayFixture(UnaryOperator<Limits> limits) throws Exception {
        RelaySettings d = RelaySettings.defaults();
        node = new RelayNode(d.withName("test relay").withNetwork("127.0.0.1", 0, false, -1)
                .withLimits(limits.apply(d.limits()))).start();
    }

    /** The default limits with some changed: {@code limits("messagesPerSecond", 2, ...)}. */
    static UnaryOperator<Limits> limits(Object... nameValues) {
        return l -> {
            var tree = (com.fasterxml.jackson.databind.node.ObjectNode) WsClient.JSON.valueToTree(l);
            for (int i = 0; i < nameValues.length; i += 2) {
                tree.put((String) nameValues[i], (Integer) nameValues[i + 1]);
            }
            try {
                return WsClient.JSON.treeToValue(tree, Limits.class);
            } catch (Exception e) {
                throw new IllegalArgumentException(e);
            }
        };
    }

    String ws() {
        return node.wsUrl();
    }

    String http(String path) {
        return "http://127.0.0.1:" + node.port() + path;
    }

    HttpResponse<byte[]> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(http(path))).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    JsonNode statsJson() throws Exception {
        return WsClient.JSON.readTree(get("/stats.json").body());
    }

    @Override
    public void close() {
        node.close();
    }
}

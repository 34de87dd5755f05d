package org.btrelay.web;

import io.undertow.server.HttpHandler;
import io.undertow.util.Headers;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;

/** Files shipped in the jar (the browser helper, the demo page), served from memory. */
final class StaticResources {
    private StaticResources() {}

    /** Serves one classpath resource next to this class, read once. */
    static HttpHandler resource(String name, String contentType) {
        byte[] body;
        try (InputStream in = StaticResources.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name);
            }
            body = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return exchange -> {
            exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, contentType);
            exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, "max-age=300");
            Http.cors(exchange);
            exchange.getResponseSender().send(ByteBuffer.wrap(body));
        };
    }
}

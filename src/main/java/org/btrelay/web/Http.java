package org.btrelay.web;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import io.undertow.util.Methods;
import io.undertow.util.StatusCodes;

/** Small pieces every route shares. */
final class Http {
    private static final HttpString ALLOW_ORIGIN = new HttpString("Access-Control-Allow-Origin");

    private Http() {}

    static void cors(HttpServerExchange exchange) {
        exchange.getResponseHeaders().put(ALLOW_ORIGIN, "*");
    }

    static void noStore(HttpServerExchange exchange) {
        exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-store");
    }

    /** Serves GET and HEAD; anything else gets 405 with an Allow header. */
    static HttpHandler getOnly(HttpHandler next) {
        return exchange -> {
            if (exchange.getRequestMethod().equals(Methods.GET) || exchange.getRequestMethod().equals(Methods.HEAD)) {
                next.handleRequest(exchange);
            } else {
                exchange.setStatusCode(StatusCodes.METHOD_NOT_ALLOWED);
                exchange.getResponseHeaders().put(Headers.ALLOW, "GET, HEAD");
                exchange.getResponseSender().send("method not allowed\n");
            }
        };
    }

    /** 503 with Retry-After: the relay is starting and this route is not ready yet. */
    static void starting(HttpServerExchange exchange) {
        exchange.setStatusCode(StatusCodes.SERVICE_UNAVAILABLE);
        exchange.getResponseHeaders().put(Headers.RETRY_AFTER, "1");
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
        cors(exchange);
        noStore(exchange);
        exchange.getResponseSender().send("{\"error\":\"starting\"}");
    }

    static HttpHandler notFound() {
        return exchange -> {
            exchange.setStatusCode(StatusCodes.NOT_FOUND);
            exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/plain");
            exchange.getResponseSender().send("not found\n");
        };
    }
}

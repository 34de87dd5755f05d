package org.btrelay.web;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** Builders for tracker messages that tests send. */
final class JsonMessages {
    private JsonMessages() {}

    static ObjectNode scrape(String... infoHashes) {
        ObjectNode o = WsClient.JSON.createObjectNode();
        o.put("action", "scrape");
        var arr = o.putArray("info_hash");
        for (String h : infoHashes) {
            arr.add(h);
        }
        return o;
    }
}

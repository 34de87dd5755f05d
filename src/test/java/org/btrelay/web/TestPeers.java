package org.btrelay.web;

/** Browser-like peers held open on one WebSocket, for tests outside this package. */
public final class TestPeers implements AutoCloseable {
    private final WsClient client;

    private TestPeers(WsClient client) {
        this.client = client;
    }

    /** Announces {@code n} seeders (one per torrent) on one connection and waits for the replies. */
    public static TestPeers announce(String wsUrl, int n) throws InterruptedException {
        WsClient c = new WsClient(wsUrl);
        for (int i = 0; i < n; i++) {
            c.send(WsClient.announce(WsClient.id("torrent-" + i), WsClient.id("peer"), 0, "started"));
        }
        for (int i = 0; i < n; i++) {
            if (c.next().has("failure reason")) {
                throw new IllegalStateException("announce refused");
            }
        }
        return new TestPeers(c);
    }

    @Override
    public void close() {
        client.close();
    }
}

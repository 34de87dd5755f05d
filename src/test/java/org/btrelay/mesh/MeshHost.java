package org.btrelay.mesh;

import io.undertow.Handlers;
import io.undertow.Undertow;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.function.Consumer;
import org.btrelay.health.Capacity;
import org.btrelay.health.Health;
import org.btrelay.lab.LabNetwork;

/**
 * A mesh alone on a real Undertow server at 127.0.0.1 and a free port, serving {@code /relay}
 * only: for tests that register message types or listeners before the mesh starts.
 */
final class MeshHost implements AutoCloseable {
    final Mesh mesh;
    private final Undertow server;
    private volatile Mesh ref;

    /** @param beforeStart registers handlers and listeners on the mesh before it starts */
    MeshHost(String name, Consumer<Mesh> beforeStart) {
        server = Undertow.builder().addHttpListener(0, "127.0.0.1")
                .setHandler(Handlers.path().addExactPath("/relay",
                        Handlers.websocket((exchange, channel) -> ref.acceptor().onConnect(exchange, channel))))
                .build();
        server.start();
        String url = httpUrl();
        mesh = new Mesh(Identity.ephemeral(), new Mesh.Config(name, "test", url,
                List.of(url.replaceFirst("^http", "ws") + "announce"), List.of("bittorrent-relay"), LabNetwork.FAST),
                () -> new Health(0.1, 0.1, 1, 2, 1, 2, 0, 0, 0, 0, 0, 1, Capacity.OK, System.currentTimeMillis()), null);
        ref = mesh;
        beforeStart.accept(mesh);
        mesh.start();
    }

    String httpUrl() {
        InetSocketAddress a = (InetSocketAddress) server.getListenerInfo().get(0).getAddress();
        return "http://127.0.0.1:" + a.getPort() + "/";
    }

    String wsUrl() {
        return httpUrl().replaceFirst("^http", "ws");
    }

    boolean linkedTo(MeshHost other) {
        return mesh.relays().stream().anyMatch(v -> v.id().equals(other.mesh.id()) && v.relayState() == RelayState.LINKED);
    }

    @Override
    public void close() {
        mesh.close();
        server.stop();
    }
}

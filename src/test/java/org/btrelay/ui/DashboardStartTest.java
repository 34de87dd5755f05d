package org.btrelay.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javafx.scene.chart.LineChart;
import javafx.scene.control.Label;
import javafx.stage.WindowEvent;
import org.btrelay.mesh.MeshTiming;
import org.btrelay.ui.service.UiPrefsStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DashboardStartTest {
    @TempDir
    Path dir;

    @Test
    void startsItsRelayOnAFreePortAndShowsItsAddress() throws Exception {
        try (DashboardFixture f = DashboardFixture.start(DashboardFixture.loopback(List.of(), List.of()), dir,
                MeshTiming.DEFAULTS)) {
            int port = f.node().port();
            assertThat(port).isPositive();
            HttpResponse<String> stats = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(f.node().httpUrl() + "stats.json")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(stats.statusCode()).isEqualTo(200);
            String expected = "ws://127.0.0.1:" + port + "/announce";
            f.awaitFx("the WebSocket URL on the overview",
                    () -> expected.equals(f.lookup("#ws-url", Label.class).getText()));
            assertThat(f.fx(() -> f.lookup("#relay-state", Label.class).getText())).isEqualTo("Running");
        }
    }

    @Test
    void chartsReceiveData() throws Exception {
        try (DashboardFixture f = DashboardFixture.start(DashboardFixture.loopback(List.of(), List.of()), dir,
                MeshTiming.DEFAULTS)) {
            @SuppressWarnings("unchecked")
            LineChart<Number, Number> cpu = f.lookup("#chart-cpu", LineChart.class);
            @SuppressWarnings("unchecked")
            LineChart<Number, Number> messages = f.lookup("#chart-messages", LineChart.class);
            f.awaitFx("points in the CPU and messages charts", () -> cpu.getData().get(0).getData().size() >= 3
                    && messages.getData().get(0).getData().size() >= 3);
            // The points are fresh samples, one per chart interval, ordered in time.
            double first = f.fx(() -> cpu.getData().get(0).getData().get(0).getXValue().doubleValue());
            double third = f.fx(() -> cpu.getData().get(0).getData().get(2).getXValue().doubleValue());
            assertThat(third).isGreaterThan(first);
        }
    }

    @Test
    void closingTheWindowStopsTheRelayAndFreesItsPort() throws Exception {
        try (DashboardFixture f = DashboardFixture.start(DashboardFixture.loopback(List.of(), List.of()), dir,
                MeshTiming.DEFAULTS)) {
            int port = f.node().port();
            f.fx(() -> {
                f.window().stage().fireEvent(new WindowEvent(f.window().stage(), WindowEvent.WINDOW_CLOSE_REQUEST));
                return null;
            });
            f.await("the relay to stop", () -> f.app.service().status().node() == null);
            assertThat(f.fx(() -> f.window().stage().isShowing())).isFalse();
            try (ServerSocket s = new ServerSocket()) {
                s.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port));
            }
            // The window's size and place were remembered.
            f.await("dashboard.json", () -> Files.exists(dir.resolve(UiPrefsStore.FILE_NAME)));
        }
    }
}

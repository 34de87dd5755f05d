package org.btrelay.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javafx.scene.chart.LineChart;
import javafx.scene.control.Label;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableView;
import org.btrelay.lab.LabNetwork;
import org.btrelay.ui.relays.RelayRow;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RelaysViewTest {
    @TempDir
    Path dir;

    @Test
    void tableFillsFromALabAndShowsARelayGoingDown() throws Exception {
        try (LabNetwork lab = LabNetwork.start(3, false, LabNetwork.FAST, Files.createDirectories(dir.resolve("lab")));
             DashboardFixture f = DashboardFixture.start(
                     DashboardFixture.loopback(List.of("bittorrent-relay"), List.of(lab.httpUrl(0))),
                     Files.createDirectories(dir.resolve("app")), LabNetwork.FAST)) {
            f.show("relays");
            @SuppressWarnings("unchecked")
            TableView<RelayRow> table = f.lookup("#relays-table", TableView.class);
            f.await("the three lab relays linked", 20, () -> f.fx(() -> table.getItems().stream()
                    .filter(r -> r.nameProperty().get().startsWith("lab relay") && "linked".equals(r.stateProperty().get()))
                    .count() == 3));
            assertThat(f.fx(() -> table.getItems().size())).isEqualTo(4);
            assertThat(f.fx(() -> table.getItems().stream().filter(RelayRow::self).count())).isEqualTo(1);

            // Selecting one shows its own health history.
            f.fx(() -> {
                table.getSelectionModel().select(table.getItems().stream()
                        .filter(r -> "lab relay 2".equals(r.nameProperty().get())).findFirst().orElseThrow());
                return null;
            });
            @SuppressWarnings("unchecked")
            LineChart<Number, Number> cpu = f.lookup("#relay-chart-cpu", LineChart.class);
            f.awaitFx("history in the selected relay's chart", () -> cpu.getData().get(0).getData().size() >= 2);
            assertThat(f.fx(() -> f.lookup("#selected-relay", Label.class).getText())).startsWith("lab relay 2");

            lab.stopRelay(2);
            f.await("lab relay 3 shown down", 15, () -> f.fx(() -> table.getItems().stream()
                    .anyMatch(r -> "lab relay 3".equals(r.nameProperty().get()) && "down".equals(r.stateProperty().get()))));
            // Visible in the table, in colour, and in the status bar.
            f.awaitFx("a red 'down' cell", () -> f.robot.lookup(".table-cell.state-down").queryAll().stream()
                    .anyMatch(n -> "down".equals(((TableCell<?, ?>) n).getText())));
            f.awaitFx("the event in the status bar",
                    () -> f.lookup("#status-event", Label.class).getText().contains("lab relay 3 went down"));

            // The filter narrows the table.
            f.robot.clickOn("#relay-filter").write("down");
            f.awaitFx("only the down relay", () -> table.getItems().size() == 1
                    && "lab relay 3".equals(table.getItems().get(0).nameProperty().get()));
        }
    }
}

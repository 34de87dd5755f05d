package org.btrelay.ui.overview;

import javafx.beans.value.ObservableStringValue;
import javafx.fxml.FXML;
import javafx.scene.chart.LineChart;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.input.Clipboard;
import javafx.scene.input.ClipboardContent;
import org.btrelay.ui.common.Charts;
import org.btrelay.ui.common.Format;
import org.btrelay.ui.service.NodeService;

/** Binds the Overview to its model; start/stop goes to the node service. */
public final class OverviewController {
    private final OverviewModel model;
    private final NodeService service;

    @FXML private Label name;
    @FXML private Label state;
    @FXML private Label subtitle;
    @FXML private Button startStop;
    @FXML private Label wsUrl;
    @FXML private Label httpUrl;
    @FXML private Label statsUrl;
    @FXML private Label relayId;
    @FXML private Label dht;
    @FXML private Label connections;
    @FXML private Label peers;
    @FXML private Label peersDetail;
    @FXML private Label torrents;
    @FXML private Label announces;
    @FXML private Label offers;
    @FXML private LineChart<Number, Number> cpuChart;
    @FXML private LineChart<Number, Number> memoryChart;
    @FXML private LineChart<Number, Number> loadChart;
    @FXML private LineChart<Number, Number> messagesChart;

    public OverviewController(OverviewModel model, NodeService service) {
        this.model = model;
        this.service = service;
    }

    @FXML
    private void initialize() {
        name.textProperty().bind(model.name());
        state.textProperty().bind(model.state());
        model.stateStyle().addListener((o, a, b) -> {
            state.getStyleClass().removeIf(c -> c.startsWith("phase-"));
            state.getStyleClass().add("phase-" + b);
        });
        state.getStyleClass().add("phase-" + model.stateStyle().get());
        subtitle.textProperty().bind(model.subtitle());
        startStop.textProperty().bind(model.startStopText());
        wsUrl.textProperty().bind(model.wsUrl());
        httpUrl.textProperty().bind(model.httpUrl());
        statsUrl.textProperty().bind(model.statsUrl());
        relayId.textProperty().bind(model.relayId());
        dht.textProperty().bind(model.dht());
        connections.textProperty().bind(model.connections());
        peers.textProperty().bind(model.peers());
        peersDetail.textProperty().bind(model.peersDetail());
        torrents.textProperty().bind(model.torrents());
        announces.textProperty().bind(model.announces());
        offers.textProperty().bind(model.offers());
        Charts.bindPercent(cpuChart, model.cpu());
        Charts.bind(memoryChart, model.memory(), v -> String.format(java.util.Locale.ROOT, "%.0f MiB", v));
        Charts.bind(loadChart, model.load(), Charts::count);
        Charts.bind(messagesChart, model.messages(), v -> Format.rate(v) + "/s");
    }

    @FXML
    private void startOrStop() {
        if (model.running()) {
            service.stop();
        } else {
            service.start();
        }
    }

    @FXML private void copyWsUrl() { copy(model.wsUrl()); }
    @FXML private void copyHttpUrl() { copy(model.httpUrl()); }
    @FXML private void copyStatsUrl() { copy(model.statsUrl()); }
    @FXML private void copyRelayId() { copy(model.relayId()); }

    private static void copy(ObservableStringValue text) {
        ClipboardContent c = new ClipboardContent();
        c.putString(text.get());
        Clipboard.getSystemClipboard().setContent(c);
    }
}

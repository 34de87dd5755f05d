package org.btrelay.ui.relays;

import java.util.Locale;
import javafx.fxml.FXML;
import javafx.scene.chart.LineChart;
import javafx.scene.control.Label;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.layout.StackPane;
import org.btrelay.ui.common.Cells;
import org.btrelay.ui.common.Charts;
import org.btrelay.ui.common.Format;
import org.btrelay.ui.common.Views;

/** Binds the Relays view: table, filter, swarm picture and the selected relay's charts. */
public final class RelaysController {
    private final RelaysModel model;
    private final SwarmPicture picture = new SwarmPicture();

    @FXML private TextField filter;
    @FXML private Label summary;
    @FXML private TableView<RelayRow> table;
    @FXML private TableColumn<RelayRow, String> nameColumn;
    @FXML private TableColumn<RelayRow, String> urlColumn;
    @FXML private TableColumn<RelayRow, String> stateColumn;
    @FXML private TableColumn<RelayRow, Double> rttColumn;
    @FXML private TableColumn<RelayRow, Double> cpuColumn;
    @FXML private TableColumn<RelayRow, Long> memoryColumn;
    @FXML private TableColumn<RelayRow, Long> peersColumn;
    @FXML private TableColumn<RelayRow, String> capacityColumn;
    @FXML private TableColumn<RelayRow, String> versionColumn;
    @FXML private TableColumn<RelayRow, Long> lastSeenColumn;
    @FXML private StackPane pictureHolder;
    @FXML private Label selectedTitle;
    @FXML private LineChart<Number, Number> cpuChart;
    @FXML private LineChart<Number, Number> loadChart;

    public RelaysController(RelaysModel model) {
        this.model = model;
    }

    @FXML
    private void initialize() {
        filter.textProperty().bindBidirectional(model.filter());
        summary.textProperty().bind(model.summary());
        Views.showSorted(table, model.filtered());
        nameColumn.setCellValueFactory(c -> c.getValue().nameProperty());
        urlColumn.setCellValueFactory(c -> c.getValue().urlProperty());
        stateColumn.setCellValueFactory(c -> c.getValue().stateProperty());
        stateColumn.setCellFactory(Cells.styledBy("state-"));
        rttColumn.setCellValueFactory(c -> c.getValue().rttProperty());
        rttColumn.setCellFactory(Cells.formatted(Format::millis));
        cpuColumn.setCellValueFactory(c -> c.getValue().cpuProperty());
        cpuColumn.setCellFactory(Cells.formatted(v -> String.format(Locale.ROOT, "%.0f%%", v)));
        memoryColumn.setCellValueFactory(c -> c.getValue().memoryProperty());
        memoryColumn.setCellFactory(Cells.formatted(Format::bytes));
        peersColumn.setCellValueFactory(c -> c.getValue().peersProperty());
        peersColumn.setCellFactory(Cells.formatted(Format::count));
        capacityColumn.setCellValueFactory(c -> c.getValue().capacityProperty());
        capacityColumn.setCellFactory(Cells.styledBy("capacity-"));
        versionColumn.setCellValueFactory(c -> c.getValue().versionProperty());
        lastSeenColumn.setCellValueFactory(c -> c.getValue().lastSeenProperty());
        lastSeenColumn.setCellFactory(col -> new TableCell<>() {
            @Override
            protected void updateItem(Long item, boolean empty) {
                super.updateItem(item, empty);
                textProperty().unbind();
                RelayRow row = getTableRow() == null ? null : getTableRow().getItem();
                if (empty || row == null) {
                    setText(null);
                } else {
                    textProperty().bind(row.lastSeenTextProperty());
                }
            }
        });
        table.setRowFactory(t -> new TableRow<>() {
            @Override
            protected void updateItem(RelayRow item, boolean empty) {
                super.updateItem(item, empty);
                pseudoClassStateChanged(javafx.css.PseudoClass.getPseudoClass("self"), !empty && item != null && item.self());
            }
        });
        table.setPlaceholder(new Label("No other relay known yet. Relays of your swarms appear here as the DHT finds them."));
        table.getSelectionModel().selectedItemProperty().addListener((o, a, b) -> model.selected().set(b));
        model.selected().addListener((o, a, b) -> {
            if (b == null) {
                table.getSelectionModel().clearSelection();
            }
        });
        pictureHolder.getChildren().add(picture);
        model.pictureVersion().addListener((o, a, b) -> picture.show(model.rows()));
        selectedTitle.textProperty().bind(model.selectedTitle());
        Charts.bindPercent(cpuChart, model.historyCpu());
        Charts.bind(loadChart, model.historyLoad(), Charts::count);
    }
}

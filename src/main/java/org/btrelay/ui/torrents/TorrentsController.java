package org.btrelay.ui.torrents;

import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.fxml.FXML;
import javafx.scene.control.Label;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import org.btrelay.ui.common.Views;

/** Binds the Torrents view. */
public final class TorrentsController {
    private final TorrentsModel model;

    @FXML private TextField filter;
    @FXML private Label summary;
    @FXML private TableView<TorrentRow> table;
    @FXML private TableColumn<TorrentRow, String> hashColumn;
    @FXML private TableColumn<TorrentRow, Number> seedersColumn;
    @FXML private TableColumn<TorrentRow, Number> leechersColumn;
    @FXML private TableColumn<TorrentRow, Number> completedColumn;

    public TorrentsController(TorrentsModel model) {
        this.model = model;
    }

    @FXML
    private void initialize() {
        filter.textProperty().bindBidirectional(model.filter());
        summary.textProperty().bind(model.summary());
        Views.showSorted(table, model.filtered());
        table.setPlaceholder(new Label("No torrents yet: they appear when browsers announce to this relay."));
        hashColumn.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().infoHash()));
        seedersColumn.setCellValueFactory(c -> c.getValue().seedersProperty());
        leechersColumn.setCellValueFactory(c -> c.getValue().leechersProperty());
        completedColumn.setCellValueFactory(c -> c.getValue().completedProperty());
    }
}

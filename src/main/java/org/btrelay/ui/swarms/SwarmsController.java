package org.btrelay.ui.swarms;

import javafx.fxml.FXML;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.beans.property.ReadOnlyStringWrapper;
import org.btrelay.app.RelaySettings;

/** Binds the Swarms view: one-click default swarm, join by key, leave per row. */
public final class SwarmsController {
    private final SwarmsModel model;

    @FXML private Button joinDefault;
    @FXML private Label defaultKey;
    @FXML private TextField key;
    @FXML private Button joinKey;
    @FXML private Label message;
    @FXML private TableView<SwarmRow> table;
    @FXML private TableColumn<SwarmRow, String> keyColumn;
    @FXML private TableColumn<SwarmRow, Number> relaysColumn;
    @FXML private TableColumn<SwarmRow, Number> linkedColumn;
    @FXML private TableColumn<SwarmRow, String> noteColumn;
    @FXML private TableColumn<SwarmRow, String> actionColumn;

    public SwarmsController(SwarmsModel model) {
        this.model = model;
    }

    @FXML
    private void initialize() {
        defaultKey.setText("Key: " + RelaySettings.DEFAULT_SWARM);
        joinDefault.textProperty().bind(javafx.beans.binding.Bindings.when(model.defaultJoined())
                .then("Joined").otherwise("Join the default swarm"));
        joinDefault.disableProperty().bind(model.defaultJoined().or(model.busy()));
        joinKey.disableProperty().bind(model.busy().or(key.textProperty().isEmpty()));
        message.textProperty().bind(model.message());
        table.setItems(model.rows());
        table.setPlaceholder(new Label("This relay is in no swarm: other relays cannot find it. Join one above."));
        keyColumn.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().key()));
        relaysColumn.setCellValueFactory(c -> c.getValue().relaysProperty());
        linkedColumn.setCellValueFactory(c -> c.getValue().linkedProperty());
        noteColumn.setCellValueFactory(c -> c.getValue().noteProperty());
        actionColumn.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().key()));
        actionColumn.setCellFactory(col -> new TableCell<>() {
            private final Button leave = new Button("Leave");

            {
                leave.getStyleClass().addAll("small", "button-outlined", "danger");
                leave.setOnAction(e -> model.leave(getItem()));
            }

            @Override
            protected void updateItem(String item, boolean empty) {
                super.updateItem(item, empty);
                if (empty || item == null) {
                    setGraphic(null);
                } else {
                    leave.setId("leave-" + item);
                    leave.disableProperty().bind(model.busy());
                    setGraphic(leave);
                }
            }
        });
    }

    @FXML
    private void joinDefault() {
        model.joinDefault();
    }

    @FXML
    private void joinKey() {
        if (model.join(key.getText())) {
            key.clear();
        }
    }
}

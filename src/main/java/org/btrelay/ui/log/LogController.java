package org.btrelay.ui.log;

import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import javafx.fxml.FXML;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.TextField;
import javafx.scene.layout.HBox;
import org.controlsfx.control.ToggleSwitch;

/** Binds the Log view: level filter, search, follow, clear. */
public final class LogController {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");
    private final LogModel model;

    @FXML private ComboBox<String> level;
    @FXML private TextField search;
    @FXML private HBox followHolder;
    @FXML private ListView<LogBuffer.Line> list;

    public LogController(LogModel model) {
        this.model = model;
    }

    @FXML
    private void initialize() {
        level.getItems().setAll(LogModel.LEVELS);
        level.valueProperty().bindBidirectional(model.level());
        search.textProperty().bindBidirectional(model.search());
        ToggleSwitch follow = new ToggleSwitch("Follow");
        follow.setId("log-follow");
        follow.selectedProperty().bindBidirectional(model.follow());
        followHolder.getChildren().add(follow);
        list.setItems(model.filtered());
        list.setPlaceholder(new Label("Nothing logged at this level yet."));
        list.setCellFactory(v -> new ListCell<>() {
            private String applied;

            @Override
            protected void updateItem(LogBuffer.Line item, boolean empty) {
                super.updateItem(item, empty);
                if (applied != null) {
                    getStyleClass().remove(applied);
                    applied = null;
                }
                if (empty || item == null) {
                    setText(null);
                    return;
                }
                setText(LocalTime.ofInstant(Instant.ofEpochMilli(item.timeMillis()), ZoneId.systemDefault()).format(TIME)
                        + "  " + String.format("%-5s", item.level()) + "  " + item.logger() + " — " + item.message());
                applied = "log-" + item.level().toString().toLowerCase(java.util.Locale.ROOT);
                getStyleClass().add(applied);
            }
        });
        model.appended().addListener((o, a, b) -> {
            if (model.follow().get() && !model.filtered().isEmpty()) {
                list.scrollTo(model.filtered().size() - 1);
            }
        });
    }

    @FXML
    private void clear() {
        model.clear();
    }
}

package org.btrelay.ui.main;

import java.util.Map;
import java.util.function.Consumer;
import javafx.fxml.FXML;
import javafx.scene.Parent;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.Separator;
import javafx.scene.control.Toggle;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.ToggleGroup;
import javafx.scene.layout.StackPane;
import javafx.beans.property.BooleanProperty;
import org.controlsfx.control.StatusBar;

/**
 * The window: a sidebar to switch views, the current view, and a status bar. Only the shown view
 * is in the scene graph, so hidden charts and tables cost no layout or rendering.
 */
public final class MainWindowController {
    private final MainWindowModel model;
    private final Map<String, Parent> views;
    private final Consumer<String> onShow;
    private final BooleanProperty dark;

    @FXML private ToggleGroup nav;
    @FXML private StackPane content;
    @FXML private StatusBar statusBar;
    @FXML private Button theme;

    private final Label mesh = new Label();
    private final Label peers = new Label();
    private final Label event = new Label();

    /**
     * @param views  by name: overview, relays, swarms, torrents, log, settings
     * @param onShow told the name of the view shown
     */
    public MainWindowController(MainWindowModel model, Map<String, Parent> views, Consumer<String> onShow,
                                BooleanProperty dark) {
        this.model = model;
        this.views = views;
        this.onShow = onShow;
        this.dark = dark;
    }

    @FXML
    private void initialize() {
        statusBar.textProperty().bind(model.status());
        statusBar.setId("status-bar");
        mesh.textProperty().bind(model.mesh());
        peers.textProperty().bind(model.peers());
        event.textProperty().bind(model.lastEvent());
        event.setId("status-event");
        event.getStyleClass().add("status-event");
        statusBar.getRightItems().addAll(event, new Separator(javafx.geometry.Orientation.VERTICAL), mesh,
                new Separator(javafx.geometry.Orientation.VERTICAL), peers);
        nav.selectedToggleProperty().addListener((o, before, now) -> {
            if (now == null) {
                // Clicking the selected view again must not leave the window empty.
                nav.selectToggle(before);
                return;
            }
            show(now);
        });
        theme.textProperty().bind(javafx.beans.binding.Bindings.when(dark).then("Light theme").otherwise("Dark theme"));
        show(nav.getSelectedToggle());
    }

    private void show(Toggle t) {
        String name = (String) ((ToggleButton) t).getUserData();
        Parent view = views.get(name);
        if (view != null) {
            content.getChildren().setAll(view);
        }
        onShow.accept(name);
    }

    /** Shows a view by name (overview, relays, …). */
    public void select(String name) {
        for (Toggle t : nav.getToggles()) {
            if (name.equals(((ToggleButton) t).getUserData())) {
                nav.selectToggle(t);
            }
        }
    }

    @FXML
    private void toggleTheme() {
        dark.set(!dark.get());
    }
}

package org.btrelay.ui.settings;

import java.lang.reflect.RecordComponent;
import java.util.HashMap;
import java.util.Map;
import javafx.beans.property.BooleanProperty;
import javafx.collections.SetChangeListener;
import javafx.css.PseudoClass;
import javafx.fxml.FXML;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.control.TextInputControl;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;
import org.btrelay.tracker.Limits;
import org.controlsfx.control.ToggleSwitch;

/** Binds the settings form; marks fields with problems; offers the restart. */
public final class SettingsController {
    private static final PseudoClass DANGER = PseudoClass.getPseudoClass("danger");
    private final SettingsModel model;
    private final DashboardPrefs prefs;
    private final Map<String, TextInputControl> fields = new HashMap<>();

    @FXML private TextField name;
    @FXML private TextField publicUrl;
    @FXML private TextField host;
    @FXML private TextField port;
    @FXML private TextField interval;
    @FXML private HBox dhtHolder;
    @FXML private TextField dhtPort;
    @FXML private TextArea bootstrap;
    @FXML private TextArea peers;
    @FXML private TextArea swarms;
    @FXML private GridPane limitsGrid;
    @FXML private GridPane capacityGrid;
    @FXML private VBox problemsBox;
    @FXML private Label problems;
    @FXML private Label message;
    @FXML private HBox restartBox;
    @FXML private Label restartText;
    @FXML private Button save;
    @FXML private Button restart;
    @FXML private HBox darkHolder;
    @FXML private HBox keepRunningHolder;
    @FXML private Label keepRunningNote;
    @FXML private HBox notifyHolder;

    public SettingsController(SettingsModel model, DashboardPrefs prefs) {
        this.model = model;
        this.prefs = prefs;
    }

    @FXML
    private void initialize() {
        bind(name, model.name, SettingsModel.NAME);
        bind(publicUrl, model.publicUrl, SettingsModel.PUBLIC_URL);
        bind(host, model.host, SettingsModel.HOST);
        bind(port, model.port, SettingsModel.PORT);
        bind(interval, model.interval, SettingsModel.INTERVAL);
        bind(dhtPort, model.dhtPort, SettingsModel.DHT_PORT);
        bind(bootstrap, model.bootstrap, SettingsModel.BOOTSTRAP);
        bind(peers, model.peers, SettingsModel.PEERS);
        bind(swarms, model.swarms, SettingsModel.SWARMS);
        dhtHolder.getChildren().add(toggle("settings-dht", "Find other relays through the BitTorrent DHT", model.dht));
        int row = 0;
        for (RecordComponent c : Limits.class.getRecordComponents()) {
            TextField f = new TextField();
            f.setPrefColumnCount(8);
            bind(f, model.limits.get(c.getName()), SettingsModel.LIMIT_PREFIX + c.getName());
            f.setId("limit-" + c.getName());
            Label l = new Label(words(c.getName()));
            l.getStyleClass().add("field-label");
            limitsGrid.add(l, (row % 2) * 2, row / 2);
            limitsGrid.add(f, (row % 2) * 2 + 1, row / 2);
            row++;
        }
        String[] capacityLabels = {"Busy above CPU %", "Full above CPU %", "Busy above connections %",
            "Full above connections %"};
        for (int i = 0; i < SettingsModel.CAPACITY_FIELDS.size(); i++) {
            String key = SettingsModel.CAPACITY_FIELDS.get(i);
            TextField f = new TextField();
            f.setPrefColumnCount(6);
            f.setId("capacity-" + key);
            f.textProperty().bindBidirectional(model.capacity.get(key));
            fields.put(SettingsModel.CAPACITY + "." + key, f);
            Label l = new Label(capacityLabels[i]);
            l.getStyleClass().add("field-label");
            capacityGrid.add(l, (i % 2) * 2, i / 2);
            capacityGrid.add(f, (i % 2) * 2 + 1, i / 2);
        }
        model.badFields().addListener((SetChangeListener<String>) ch -> markFields());
        problems.textProperty().bind(javafx.beans.binding.Bindings.createStringBinding(
                () -> String.join("\n", model.problems().stream().map(p -> "• " + p).toList()), model.problems()));
        problemsBox.visibleProperty().bind(javafx.beans.binding.Bindings.isNotEmpty(model.problems()));
        problemsBox.managedProperty().bind(problemsBox.visibleProperty());
        message.textProperty().bind(model.message());
        restartText.textProperty().bind(model.restartNeeded());
        restartBox.visibleProperty().bind(model.restartNeeded().isNotEmpty());
        restartBox.managedProperty().bind(restartBox.visibleProperty());
        save.disableProperty().bind(model.busy());
        restart.disableProperty().bind(model.busy());

        darkHolder.getChildren().add(toggle("settings-dark", "Dark theme", prefs.dark()));
        ToggleSwitch keep = toggle("settings-keep-running", "Keep the relay running when the window is closed",
                prefs.keepRunning());
        keep.disableProperty().bind(prefs.trayAvailable().not());
        keepRunningHolder.getChildren().add(keep);
        keepRunningNote.textProperty().bind(javafx.beans.binding.Bindings.when(prefs.trayAvailable())
                .then("A tray icon brings the window back, or quits.")
                .otherwise("Not available: this desktop has no system tray. Closing the window stops the relay."));
        notifyHolder.getChildren().add(toggle("settings-notify", "Notify me when a relay goes down or comes back",
                prefs.notifications()));
    }

    private void bind(TextInputControl field, javafx.beans.property.StringProperty text, String key) {
        field.textProperty().bindBidirectional(text);
        fields.put(key, field);
    }

    private static ToggleSwitch toggle(String id, String text, BooleanProperty value) {
        ToggleSwitch t = new ToggleSwitch(text);
        t.setId(id);
        t.selectedProperty().bindBidirectional(value);
        return t;
    }

    private void markFields() {
        for (Map.Entry<String, TextInputControl> e : fields.entrySet()) {
            boolean bad = model.badFields().contains(e.getKey())
                    || (e.getKey().startsWith(SettingsModel.CAPACITY + ".") && model.badFields().contains(SettingsModel.CAPACITY));
            e.getValue().pseudoClassStateChanged(DANGER, bad);
        }
    }

    /** maxConnectionsPerIp → Max connections per IP. */
    static String words(String camel) {
        String s = camel.replaceAll("([a-z])([A-Z])", "$1 $2").toLowerCase(java.util.Locale.ROOT);
        s = s.replace(" ip", " IP").replace("sdp", "SDP").replace("num want", "numwant");
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    @FXML
    private void save() {
        model.save();
    }

    @FXML
    private void revert() {
        model.revert();
    }

    @FXML
    private void restart() {
        model.restart();
    }
}

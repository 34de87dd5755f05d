package org.btrelay.ui.main;

import atlantafx.base.theme.PrimerDark;
import atlantafx.base.theme.PrimerLight;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import javafx.application.Application;
import javafx.application.Platform;
import javafx.geometry.Pos;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.scene.image.Image;
import javafx.stage.Stage;
import org.btrelay.app.RelaySettings;
import org.btrelay.concurrent.DaemonThreads;
import org.btrelay.mesh.MeshTiming;
import org.btrelay.ui.common.Views;
import org.btrelay.ui.log.LogBuffer;
import org.btrelay.ui.log.LogController;
import org.btrelay.ui.log.LogModel;
import org.btrelay.ui.overview.OverviewController;
import org.btrelay.ui.overview.OverviewModel;
import org.btrelay.ui.relays.RelaysController;
import org.btrelay.ui.relays.RelaysModel;
import org.btrelay.ui.service.NodeService;
import org.btrelay.ui.service.Sampler;
import org.btrelay.ui.service.UiPrefs;
import org.btrelay.ui.service.UiPrefsStore;
import org.btrelay.ui.settings.DashboardPrefs;
import org.btrelay.ui.settings.SettingsController;
import org.btrelay.ui.settings.SettingsModel;
import org.btrelay.ui.swarms.SwarmsController;
import org.btrelay.ui.swarms.SwarmsModel;
import org.btrelay.ui.torrents.TorrentsController;
import org.btrelay.ui.torrents.TorrentsModel;
import org.controlsfx.control.Notifications;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts the dashboard together: the relay service and its sampler, the view models, the views,
 * the window and its life (hide to the tray, or stop the relay and quit).
 */
public final class MainWindow {
    private static final Logger log = LoggerFactory.getLogger(MainWindow.class);
    static final String CSS = "/org/btrelay/ui/app.css";

    private final NodeService service;
    private final Sampler sampler;
    private final boolean exitOnClose;
    private final Duration refreshEvery;
    private final ExecutorService io = DaemonThreads.single("dashboard-io");
    private final DashboardPrefs prefs;
    private final LogBuffer logBuffer;
    private Stage stage;
    private Scene scene;
    private Refresher refresher;
    private Tray tray;
    private MainWindowController controller;
    private OverviewModel overview;
    private RelaysModel relays;
    private SwarmsModel swarms;
    private TorrentsModel torrents;
    private SettingsModel settings;
    private LogModel logModel;
    private MainWindowModel main;
    private volatile CompletableFuture<Void> closing;

    public MainWindow(RelaySettings relaySettings, Path dataDir, MeshTiming timing, Duration sampleEvery,
                      Duration chartEvery, boolean exitOnClose, UiPrefs uiPrefs, LogBuffer logBuffer) {
        this.service = new NodeService(relaySettings, dataDir, timing);
        this.sampler = new Sampler(service, sampleEvery, chartEvery);
        this.exitOnClose = exitOnClose;
        this.refreshEvery = sampleEvery.toMillis() < 500 ? sampleEvery : Duration.ofMillis(500);
        this.prefs = new DashboardPrefs(uiPrefs, new UiPrefsStore(dataDir), io);
        this.logBuffer = logBuffer;
    }

    /** Builds the window, shows it and starts the relay (in the background). */
    public void start(Stage stage) {
        this.stage = stage;
        service.start();
        sampler.start();

        overview = new OverviewModel();
        relays = new RelaysModel(sampler);
        swarms = new SwarmsModel(service, sampler);
        torrents = new TorrentsModel(sampler);
        settings = new SettingsModel(service, sampler);
        logModel = new LogModel(logBuffer);
        main = new MainWindowModel();
        relays.onEvent(this::relayEvent);

        Map<String, Parent> views = new LinkedHashMap<>();
        views.put("overview", Views.load("overview/OverviewView.fxml", new OverviewController(overview, service)));
        views.put("relays", Views.load("relays/RelaysView.fxml", new RelaysController(relays)));
        views.put("swarms", Views.load("swarms/SwarmsView.fxml", new SwarmsController(swarms)));
        views.put("torrents", Views.load("torrents/TorrentsView.fxml", new TorrentsController(torrents)));
        views.put("log", Views.load("log/LogView.fxml", new LogController(logModel)));
        views.put("settings", Views.load("settings/SettingsView.fxml", new SettingsController(settings, prefs)));
        controller = new MainWindowController(main, views, name -> torrents.setShowing("torrents".equals(name)),
                prefs.dark());
        Parent root = Views.load("main/MainWindow.fxml", controller);

        scene = new Scene(root);
        scene.getStylesheets().add(MainWindow.class.getResource(CSS).toExternalForm());
        applyTheme(prefs.dark().get());
        prefs.dark().addListener((o, a, b) -> applyTheme(b));
        stage.setTitle("BitTorrent Relay");
        List<Image> icons = new java.util.ArrayList<>();
        for (int size : new int[] {16, 32, 64, 128, 256}) {
            icons.add(new Image(MainWindow.class.getResource("/org/btrelay/ui/icons/app-" + size + ".png")
                    .toExternalForm()));
        }
        stage.getIcons().setAll(icons);
        stage.setScene(scene);
        prefs.applyBounds(stage);
        stage.setMinWidth(900);
        stage.setMinHeight(600);
        stage.setOnCloseRequest(e -> {
            e.consume();
            closeRequested();
        });
        stage.show();

        refresher = new Refresher(sampler, logModel, List.of(main, overview, relays, swarms, torrents, settings),
                refreshEvery).start();
        if (exitOnClose) {
            io.execute(() -> {
                boolean supported = Tray.supported();
                Platform.runLater(() -> prefs.trayAvailable().set(supported));
            });
        }
    }

    private void applyTheme(boolean dark) {
        Application.setUserAgentStylesheet(dark ? new PrimerDark().getUserAgentStylesheet()
                : new PrimerLight().getUserAgentStylesheet());
        Parent root = scene.getRoot();
        root.getStyleClass().removeAll("theme-dark", "theme-light");
        root.getStyleClass().add(dark ? "theme-dark" : "theme-light");
    }

    private void relayEvent(String text) {
        main.event(text);
        log.info("{}", text);
        if (!prefs.notifications().get()) {
            return;
        }
        if (stage.isShowing()) {
            try {
                Notifications.create().owner(stage).position(Pos.BOTTOM_RIGHT).title("Relays")
                        .text(text).hideAfter(javafx.util.Duration.seconds(6)).showInformation();
            } catch (RuntimeException e) {
                log.debug("no notification: {}", e.toString());
            }
        } else if (tray != null) {
            tray.message(text);
        }
    }

    private void closeRequested() {
        prefs.rememberBounds(stage);
        if (exitOnClose && prefs.keepRunning().get() && prefs.trayAvailable().get()) {
            if (tray == null) {
                tray = new Tray(this::showAgain, this::quit);
            }
            stage.hide();
            tray.showIcon("The relay keeps running. Open the dashboard or quit from this icon.");
            return;
        }
        quit();
    }

    private void showAgain() {
        stage.show();
        stage.toFront();
    }

    /** Hides the window, then stops the relay off the UI thread and (in the app) exits. */
    public CompletableFuture<Void> quit() {
        CompletableFuture<Void> c = closing;
        if (c != null) {
            return c;
        }
        stage.hide();
        if (refresher != null) {
            refresher.close();
        }
        Tray t = tray;
        c = CompletableFuture.runAsync(() -> {
            service.close();
            sampler.close();
            if (t != null) {
                t.remove();
            }
            io.shutdown();
        }, r -> {
            Thread th = new Thread(r, "dashboard-close");
            th.start();
        });
        closing = c;
        if (exitOnClose) {
            c.whenComplete((v, e) -> Platform.runLater(Platform::exit));
        }
        return c;
    }

    /** Stops everything and waits (up to 15 s); safe to call more than once. */
    public void closeAndWait() {
        CompletableFuture<Void> c = closing;
        if (c == null) {
            if (stage == null) {
                return;
            }
            c = quit();
        }
        try {
            c.get(15, TimeUnit.SECONDS);
        } catch (Exception e) {
            log.warn("dashboard did not close cleanly: {}", e.toString());
        }
    }

    public NodeService service() { return service; }
    public Sampler sampler() { return sampler; }
    public Stage stage() { return stage; }
    public Scene scene() { return scene; }
    public OverviewModel overview() { return overview; }
    public RelaysModel relays() { return relays; }
    public SettingsModel settings() { return settings; }
    public MainWindowModel model() { return main; }
    /** Shows a view by name: overview, relays, swarms, torrents, log, settings. */
    public void select(String view) { controller.select(view); }
}

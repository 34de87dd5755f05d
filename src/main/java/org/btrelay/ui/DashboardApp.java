package org.btrelay.ui;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import javafx.application.Application;
import javafx.stage.Stage;
import org.btrelay.ui.log.LogBuffer;
import org.btrelay.ui.main.MainWindow;
import org.btrelay.ui.service.NodeService;
import org.btrelay.ui.service.UiPrefs;
import org.btrelay.ui.service.UiPrefsStore;

/** The JavaFX application: one window around one embedded relay. */
public final class DashboardApp extends Application {
    private static final AtomicReference<DashboardConfig> NEXT = new AtomicReference<>();

    private final DashboardConfig config;
    private UiPrefs prefs;
    private LogBuffer log;
    private MainWindow window;

    /** Used by {@link Application#launch}: takes the configuration given to {@link #prepare}. */
    public DashboardApp() {
        this(Objects.requireNonNull(NEXT.get(), "DashboardApp.prepare was not called"));
    }

    public DashboardApp(DashboardConfig config) {
        this.config = config;
    }

    static void prepare(DashboardConfig config) {
        NEXT.set(config);
    }

    /** Off the UI thread: read the window preferences and hook the log. */
    @Override
    public void init() {
        log = LogBuffer.install();
        prefs = new UiPrefsStore(config.dataDir()).load();
    }

    @Override
    public void start(Stage stage) {
        if (prefs == null) {
            init();
        }
        if (config.exitOnClose()) {
            // The window may hide to the tray while the relay runs on; we exit ourselves.
            javafx.application.Platform.setImplicitExit(false);
        }
        window = new MainWindow(config.settings(), config.dataDir(), config.timing(), config.sampleEvery(),
                config.chartEvery(), config.exitOnClose(), prefs, log);
        window.start(stage);
        if (config.exitOnClose()) {
            // Ctrl+C or SIGTERM: the relay still says goodbye to its peers and frees its ports.
            NodeService service = window.service();
            Runtime.getRuntime().addShutdownHook(new Thread(service::close, "relay-shutdown"));
        }
    }

    /** Stops the relay if the window did not already; waits for its ports to be free. */
    @Override
    public void stop() {
        if (window != null) {
            window.closeAndWait();
        }
    }

    /** The window, for tests and tools. */
    public MainWindow window() {
        return window;
    }

    public NodeService service() {
        return window == null ? null : window.service();
    }
}

package org.btrelay.ui;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import javafx.scene.Node;
import org.btrelay.app.RelayNode;
import org.btrelay.app.RelaySettings;
import org.btrelay.health.CapacityThresholds;
import org.btrelay.mesh.MeshTiming;
import org.btrelay.ui.main.MainWindow;
import org.testfx.api.FxRobot;
import org.testfx.api.FxToolkit;
import org.testfx.util.WaitForAsyncUtils;

/** The real dashboard app on headless Monocle, with its relay on loopback; one per test. */
final class DashboardFixture implements AutoCloseable {
    final FxRobot robot = new FxRobot();
    final DashboardApp app;
    final Path dataDir;

    private DashboardFixture(DashboardApp app, Path dataDir) {
        this.app = app;
        this.dataDir = dataDir;
    }

    /** A relay on 127.0.0.1, a free port, no DHT, in no swarm unless given. */
    static RelaySettings loopback(List<String> swarms, List<String> peers) {
        return RelaySettings.defaults().withName("dashboard under test").withNetwork("127.0.0.1", 0, false, -1)
                .withMesh(swarms, List.of(), peers)
                // Tests share a busy machine: judge capacity by connections only.
                .withCapacity(new CapacityThresholds(1, 1, 0.80, 0.95));
    }

    static DashboardFixture start(RelaySettings settings, Path dataDir, MeshTiming timing) throws Exception {
        FxToolkit.registerPrimaryStage();
        DashboardApp app = new DashboardApp(new DashboardConfig(settings, dataDir, timing, Duration.ofMillis(150),
                Duration.ofMillis(150), false));
        FxToolkit.setupApplication(() -> app);
        DashboardFixture f = new DashboardFixture(app, dataDir);
        f.await("the relay to run", () -> f.node() != null);
        return f;
    }

    MainWindow window() {
        return app.window();
    }

    RelayNode node() {
        return app.service().status().node();
    }

    /** Runs on the JavaFX thread and returns the result. */
    <T> T fx(Callable<T> c) {
        try {
            return WaitForAsyncUtils.asyncFx(c).get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    void await(String what, BooleanSupplier condition) {
        await(what, 10, condition);
    }

    void await(String what, int seconds, BooleanSupplier condition) {
        try {
            WaitForAsyncUtils.waitFor(seconds, TimeUnit.SECONDS, condition::getAsBoolean);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("timed out waiting for " + what);
        }
    }

    /** Waits until the JavaFX condition holds (checked on the JavaFX thread). */
    void awaitFx(String what, Callable<Boolean> condition) {
        await(what, () -> fx(condition));
    }

    void show(String view) {
        robot.clickOn("#nav-" + view);
        WaitForAsyncUtils.waitForFxEvents();
    }

    <T extends Node> T lookup(String query, Class<T> type) {
        return robot.lookup(query).queryAs(type);
    }

    @Override
    public void close() throws Exception {
        FxToolkit.cleanupApplication(app);
    }
}

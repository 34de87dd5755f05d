package org.btrelay.ui.settings;

import java.io.IOException;
import java.util.concurrent.Executor;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.geometry.Rectangle2D;
import javafx.stage.Screen;
import javafx.stage.Stage;
import org.btrelay.ui.service.UiPrefs;
import org.btrelay.ui.service.UiPrefsStore;
import org.slf4j.LoggerFactory;

/**
 * The dashboard's own preferences as properties: theme, keep running, notifications, and the
 * window's bounds. Every change is written to {@code dashboard.json} on a background executor.
 */
public final class DashboardPrefs {
    private final UiPrefsStore store;
    private final Executor io;
    private final BooleanProperty dark = new SimpleBooleanProperty();
    private final BooleanProperty keepRunning = new SimpleBooleanProperty();
    private final BooleanProperty notifications = new SimpleBooleanProperty();
    private final BooleanProperty trayAvailable = new SimpleBooleanProperty();
    private UiPrefs current;

    public DashboardPrefs(UiPrefs initial, UiPrefsStore store, Executor io) {
        this.store = store;
        this.io = io;
        this.current = initial;
        dark.set(initial.dark());
        keepRunning.set(initial.keepRunning());
        notifications.set(initial.notifications());
        dark.addListener((o, a, b) -> update(current.withDark(b)));
        keepRunning.addListener((o, a, b) -> update(current.withKeepRunning(b)));
        notifications.addListener((o, a, b) -> update(current.withNotifications(b)));
    }

    public UiPrefs current() {
        return current;
    }

    /** Places the stage where it was last time, as far as it fits on the screens there are now. */
    public void applyBounds(Stage stage) {
        Rectangle2D screen = Screen.getPrimary().getVisualBounds();
        stage.setWidth(Math.min(current.width(), screen.getWidth()));
        stage.setHeight(Math.min(current.height(), screen.getHeight()));
        if (Double.isFinite(current.x()) && Double.isFinite(current.y())
                && !Screen.getScreensForRectangle(current.x(), current.y(), 80, 40).isEmpty()) {
            stage.setX(current.x());
            stage.setY(current.y());
        } else {
            stage.centerOnScreen();
        }
        stage.setMaximized(current.maximized());
    }

    /** Remembers the stage's bounds (the normal ones while maximised). */
    public void rememberBounds(Stage stage) {
        if (stage.isMaximized()) {
            update(current.withBounds(current.x(), current.y(), current.width(), current.height(), true));
        } else {
            update(current.withBounds(stage.getX(), stage.getY(), stage.getWidth(), stage.getHeight(), false));
        }
    }

    private void update(UiPrefs next) {
        if (next.equals(current)) {
            return;
        }
        current = next;
        io.execute(() -> {
            try {
                store.save(next);
            } catch (IOException e) {
                LoggerFactory.getLogger(DashboardPrefs.class).warn("cannot save {}: {}", store.file(), e.toString());
            }
        });
    }

    public BooleanProperty dark() { return dark; }
    public BooleanProperty keepRunning() { return keepRunning; }
    public BooleanProperty notifications() { return notifications; }
    public BooleanProperty trayAvailable() { return trayAvailable; }
}

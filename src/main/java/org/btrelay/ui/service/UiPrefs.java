package org.btrelay.ui.service;

/**
 * The dashboard's own preferences, kept apart from the relay's settings ({@code dashboard.json}).
 *
 * @param x, y, width, height the window's last bounds; {@code NaN} for x/y when never placed
 * @param dark        the dark theme
 * @param keepRunning closing the window keeps the relay running (with a tray icon to come back)
 * @param notifications desktop notifications when a relay goes down or comes back
 */
public record UiPrefs(double x, double y, double width, double height, boolean maximized, boolean dark,
                      boolean keepRunning, boolean notifications) {

    public static final UiPrefs DEFAULTS = new UiPrefs(Double.NaN, Double.NaN, 1280, 820, false, false, false, true);

    public UiPrefs withBounds(double nx, double ny, double w, double h, boolean max) {
        return new UiPrefs(nx, ny, w, h, max, dark, keepRunning, notifications);
    }

    public UiPrefs withDark(boolean d) {
        return new UiPrefs(x, y, width, height, maximized, d, keepRunning, notifications);
    }

    public UiPrefs withKeepRunning(boolean k) {
        return new UiPrefs(x, y, width, height, maximized, dark, k, notifications);
    }

    public UiPrefs withNotifications(boolean n) {
        return new UiPrefs(x, y, width, height, maximized, dark, keepRunning, n);
    }

    /** Sizes a window can use: positive, not absurd. */
    public UiPrefs sane() {
        double w = width >= 640 && width <= 10_000 ? width : DEFAULTS.width;
        double h = height >= 480 && height <= 10_000 ? height : DEFAULTS.height;
        double nx = Double.isFinite(x) && Math.abs(x) < 100_000 ? x : Double.NaN;
        double ny = Double.isFinite(y) && Math.abs(y) < 100_000 ? y : Double.NaN;
        return new UiPrefs(nx, ny, w, h, maximized, dark, keepRunning, notifications);
    }
}

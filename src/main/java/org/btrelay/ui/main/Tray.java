package org.btrelay.ui.main;

import java.awt.EventQueue;
import java.awt.GraphicsEnvironment;
import java.awt.MenuItem;
import java.awt.PopupMenu;
import java.awt.SystemTray;
import java.awt.TrayIcon;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import javafx.application.Platform;
import javax.imageio.ImageIO;
import org.slf4j.LoggerFactory;

/**
 * The tray icon that brings the window back while the relay keeps running in the background.
 * AWT work happens on the AWT event thread, and menu actions go back to the JavaFX thread.
 */
final class Tray {
    private final Runnable show;
    private final Runnable quit;
    private TrayIcon icon;

    Tray(Runnable show, Runnable quit) {
        this.show = show;
        this.quit = quit;
    }

    /** Whether this desktop has a system tray. Starts AWT: call it off the JavaFX thread. */
    static boolean supported() {
        try {
            return !GraphicsEnvironment.isHeadless() && SystemTray.isSupported();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    /** Shows the icon (once) and a balloon saying the relay keeps running. */
    void showIcon(String message) {
        EventQueue.invokeLater(() -> {
            try {
                if (icon == null) {
                    icon = new TrayIcon(image(), "BitTorrent Relay");
                    icon.setImageAutoSize(true);
                    PopupMenu menu = new PopupMenu();
                    MenuItem open = new MenuItem("Open dashboard");
                    open.addActionListener(e -> Platform.runLater(show));
                    MenuItem exit = new MenuItem("Stop relay and quit");
                    exit.addActionListener(e -> Platform.runLater(quit));
                    menu.add(open);
                    menu.add(exit);
                    icon.setPopupMenu(menu);
                    icon.addActionListener(e -> Platform.runLater(show));
                    SystemTray.getSystemTray().add(icon);
                }
                icon.displayMessage("BitTorrent Relay", message, TrayIcon.MessageType.INFO);
            } catch (Exception e) {
                LoggerFactory.getLogger(Tray.class).warn("no tray icon: {}", e.toString());
            }
        });
    }

    /** Shows a notification while the window is hidden. */
    void message(String text) {
        EventQueue.invokeLater(() -> {
            if (icon != null) {
                icon.displayMessage("BitTorrent Relay", text, TrayIcon.MessageType.WARNING);
            }
        });
    }

    void remove() {
        EventQueue.invokeLater(() -> {
            if (icon != null) {
                SystemTray.getSystemTray().remove(icon);
                icon = null;
            }
        });
    }

    private static BufferedImage image() throws IOException {
        try (InputStream in = Tray.class.getResourceAsStream("/org/btrelay/ui/icons/app-32.png")) {
            if (in == null) {
                throw new IOException("icon missing");
            }
            return ImageIO.read(in);
        }
    }
}

package org.btrelay.ui.common;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import javafx.fxml.FXMLLoader;
import javafx.scene.Parent;

/** Loads a view's FXML with a controller we constructed (so it can take its view model). */
public final class Views {
    private Views() {}

    /** @param fxml path under {@code /org/btrelay/ui/}, e.g. {@code overview/OverviewView.fxml} */
    public static Parent load(String fxml, Object controller) {
        URL url = Views.class.getResource("/org/btrelay/ui/" + fxml);
        if (url == null) {
            throw new IllegalStateException("missing view " + fxml);
        }
        FXMLLoader loader = new FXMLLoader(url);
        loader.setController(controller);
        try {
            return loader.load();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load " + fxml, e);
        }
    }
}

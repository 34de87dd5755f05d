package org.btrelay.ui.common;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import javafx.collections.ObservableList;
import javafx.collections.transformation.SortedList;
import javafx.fxml.FXMLLoader;
import javafx.scene.Parent;
import javafx.scene.control.TableView;

/**
 * Loads a view's FXML with a controller we constructed (so it can take its view model), and the
 * wiring every table view shares.
 */
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

    /** Shows {@code rows} in {@code table}, sorted as the user sorts the table's columns. */
    public static <T> void showSorted(TableView<T> table, ObservableList<T> rows) {
        SortedList<T> sorted = new SortedList<>(rows);
        sorted.comparatorProperty().bind(table.comparatorProperty());
        table.setItems(sorted);
    }
}

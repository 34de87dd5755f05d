package org.btrelay.ui.common;

import java.util.function.Function;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.util.Callback;

/** Table cells that show a value formatted, and style themselves from it. */
public final class Cells {
    private Cells() {}

    /** Shows {@code format(value)}; empty for {@code null}. Sorting still uses the raw value. */
    public static <S, T> Callback<TableColumn<S, T>, TableCell<S, T>> formatted(Function<T, String> format) {
        return col -> new TableCell<>() {
            @Override
            protected void updateItem(T item, boolean empty) {
                super.updateItem(item, empty);
                setText(empty || item == null ? null : format.apply(item));
            }
        };
    }

    /**
     * Shows the text and adds the style class {@code prefix + text} (spaces as dashes), e.g.
     * {@code state-down}, so CSS can colour it.
     */
    public static <S> Callback<TableColumn<S, String>, TableCell<S, String>> styledBy(String prefix) {
        return col -> new TableCell<>() {
            private String applied;

            @Override
            protected void updateItem(String item, boolean empty) {
                super.updateItem(item, empty);
                if (applied != null) {
                    getStyleClass().remove(applied);
                    applied = null;
                }
                if (empty || item == null || item.isEmpty()) {
                    setText(null);
                    return;
                }
                setText(item);
                applied = prefix + item.replace(' ', '-');
                getStyleClass().add(applied);
            }
        };
    }
}

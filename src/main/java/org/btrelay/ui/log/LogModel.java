package org.btrelay.ui.log;

import ch.qos.logback.classic.Level;
import java.util.List;
import java.util.Locale;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.collections.transformation.FilteredList;

/** The live tail of the relay's log: the newest lines of the {@link LogBuffer}, filtered by level and text. */
public final class LogModel {
    public static final List<String> LEVELS = List.of("DEBUG", "INFO", "WARN", "ERROR");

    private final LogBuffer buffer;
    private final ObservableList<LogBuffer.Line> lines = FXCollections.observableArrayList();
    private final FilteredList<LogBuffer.Line> filtered = new FilteredList<>(lines);
    private final ObjectProperty<String> level = new SimpleObjectProperty<>("INFO");
    private final StringProperty search = new SimpleStringProperty("");
    private final BooleanProperty follow = new SimpleBooleanProperty(true);
    private final IntegerProperty appended = new SimpleIntegerProperty();
    private long lastSeq;

    public LogModel(LogBuffer buffer) {
        this.buffer = buffer;
        level.addListener((o, a, b) -> refilter());
        search.addListener((o, a, b) -> refilter());
        refilter();
    }

    /** Takes what was logged since the last call; called a few times a second. */
    public void refresh() {
        if (buffer == null || buffer.last() == lastSeq) {
            return;
        }
        List<LogBuffer.Line> fresh = buffer.since(lastSeq);
        if (fresh.isEmpty()) {
            return;
        }
        lastSeq = fresh.get(fresh.size() - 1).seq();
        int overflow = lines.size() + fresh.size() - LogBuffer.CAPACITY;
        if (overflow > 0) {
            lines.remove(0, Math.min(overflow, lines.size()));
        }
        lines.addAll(fresh.size() > LogBuffer.CAPACITY ? fresh.subList(fresh.size() - LogBuffer.CAPACITY, fresh.size()) : fresh);
        appended.set(appended.get() + 1);
    }

    public void clear() {
        lines.clear();
    }

    private void refilter() {
        Level min = Level.toLevel(level.get(), Level.INFO);
        String s = search.get() == null ? "" : search.get().trim().toLowerCase(Locale.ROOT);
        filtered.setPredicate(l -> l.level().isGreaterOrEqual(min)
                && (s.isEmpty() || l.message().toLowerCase(Locale.ROOT).contains(s)
                    || l.logger().toLowerCase(Locale.ROOT).contains(s)));
    }

    public ObservableList<LogBuffer.Line> lines() { return lines; }
    public FilteredList<LogBuffer.Line> filtered() { return filtered; }
    public ObjectProperty<String> level() { return level; }
    public StringProperty search() { return search; }
    public BooleanProperty follow() { return follow; }
    /** Changes each time lines arrive (to scroll along). */
    public IntegerProperty appended() { return appended; }
}

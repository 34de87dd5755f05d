package org.btrelay.ui.common;

import java.time.Duration;
import java.util.List;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.scene.chart.XYChart;

/**
 * The data behind one live line chart: a few named series over a sliding time window. Points
 * older than the window are dropped as new ones arrive, so a series never holds more than the
 * window divided by the sampling interval. X values are epoch seconds.
 */
public final class TimeSeries {
    private final long windowMillis;
    private final ObservableList<XYChart.Series<Number, Number>> series = FXCollections.observableArrayList();
    private final DoubleProperty lower = new SimpleDoubleProperty();
    private final DoubleProperty upper = new SimpleDoubleProperty();

    public TimeSeries(Duration window, String... names) {
        this.windowMillis = window.toMillis();
        for (String n : names) {
            series.add(new XYChart.Series<>(n, FXCollections.observableArrayList()));
        }
        moveWindow(System.currentTimeMillis());
    }

    public ObservableList<XYChart.Series<Number, Number>> series() {
        return series;
    }

    /** The x axis bounds: the window ending now. */
    public DoubleProperty lowerBound() {
        return lower;
    }

    public DoubleProperty upperBound() {
        return upper;
    }

    /** Adds one point per series (in the order of the names) taken at {@code timeMillis}. */
    public void add(long timeMillis, double... values) {
        double x = timeMillis / 1000.0;
        for (int i = 0; i < series.size() && i < values.length; i++) {
            ObservableList<XYChart.Data<Number, Number>> data = series.get(i).getData();
            data.add(new XYChart.Data<>(x, values[i]));
            trim(data, timeMillis);
        }
        moveWindow(timeMillis);
    }

    /** Replaces every series with these samples (times and values of each series, oldest first). */
    public void replace(List<Long> times, List<double[]> values) {
        for (int i = 0; i < series.size(); i++) {
            ObservableList<XYChart.Data<Number, Number>> data = series.get(i).getData();
            @SuppressWarnings("unchecked")
            XYChart.Data<Number, Number>[] points = new XYChart.Data[times.size()];
            for (int j = 0; j < points.length; j++) {
                points[j] = new XYChart.Data<>(times.get(j) / 1000.0, values.get(j)[i]);
            }
            data.setAll(points);
        }
        moveWindow(times.isEmpty() ? System.currentTimeMillis() : times.get(times.size() - 1));
    }

    public void clear() {
        for (XYChart.Series<Number, Number> s : series) {
            s.getData().clear();
        }
    }

    /** Points held now, over all series. */
    public int size() {
        int n = 0;
        for (XYChart.Series<Number, Number> s : series) {
            n += s.getData().size();
        }
        return n;
    }

    private void trim(ObservableList<XYChart.Data<Number, Number>> data, long nowMillis) {
        double oldest = (nowMillis - windowMillis) / 1000.0;
        int drop = 0;
        while (drop < data.size() - 1 && data.get(drop).getXValue().doubleValue() < oldest) {
            drop++;
        }
        if (drop > 0) {
            data.remove(0, drop);
        }
    }

    private void moveWindow(long nowMillis) {
        upper.set(nowMillis / 1000.0);
        lower.set((nowMillis - windowMillis) / 1000.0);
    }
}

package org.btrelay.ui.common;

import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.function.DoubleFunction;
import javafx.scene.chart.LineChart;
import javafx.scene.chart.NumberAxis;
import javafx.util.StringConverter;

/** Sets up the dashboard's live line charts the same way everywhere. */
public final class Charts {
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm");

    private Charts() {}

    /**
     * Binds a chart declared in FXML (NumberAxis on both sides) to a time series: no animation,
     * no symbols, the x axis showing the clock over the window.
     */
    public static void bind(LineChart<Number, Number> chart, TimeSeries data, DoubleFunction<String> yFormat) {
        chart.setAnimated(false);
        chart.setCreateSymbols(false);
        chart.setLegendVisible(data.series().size() > 1);
        chart.setHorizontalGridLinesVisible(true);
        chart.setVerticalGridLinesVisible(false);
        NumberAxis x = (NumberAxis) chart.getXAxis();
        x.setAutoRanging(false);
        x.setAnimated(false);
        x.setMinorTickVisible(false);
        x.lowerBoundProperty().bind(data.lowerBound());
        x.upperBoundProperty().bind(data.upperBound());
        x.tickUnitProperty().bind(data.upperBound().subtract(data.lowerBound()).divide(5));
        x.setTickLabelFormatter(new StringConverter<>() {
            @Override
            public String toString(Number n) {
                return LocalTime.ofInstant(Instant.ofEpochMilli((long) (n.doubleValue() * 1000)), ZoneId.systemDefault())
                        .format(CLOCK);
            }

            @Override
            public Number fromString(String s) {
                return 0;
            }
        });
        NumberAxis y = (NumberAxis) chart.getYAxis();
        y.setAnimated(false);
        y.setForceZeroInRange(true);
        y.setMinorTickVisible(false);
        y.setTickLabelFormatter(new StringConverter<>() {
            @Override
            public String toString(Number n) {
                return yFormat.apply(n.doubleValue());
            }

            @Override
            public Number fromString(String s) {
                return 0;
            }
        });
        chart.setData(data.series());
    }

    /** A chart of shares in percent: the y axis fixed from 0 to 100. */
    public static void bindPercent(LineChart<Number, Number> chart, TimeSeries data) {
        bind(chart, data, v -> String.format(java.util.Locale.ROOT, "%.0f%%", v));
        NumberAxis y = (NumberAxis) chart.getYAxis();
        y.setAutoRanging(false);
        y.setLowerBound(0);
        y.setUpperBound(100);
        y.setTickUnit(25);
    }

    /** Labels for counts: whole ticks only (an axis over 0..3 would otherwise read 0, 0, 1, 1, …). */
    public static String count(double v) {
        return v == Math.rint(v) ? Format.count((long) v) : "";
    }
}

package org.alexnetcuda.train;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The run's chart, {@code chart.png}: train and test loss (left axis) and test accuracy (right axis) per epoch.
 * Drawn off-screen with XChart; the process must be headless where there is no display (the CLI sets
 * {@code java.awt.headless=true} before anything touches AWT).
 */
public final class MetricsChart {
    public static final String FILE = "chart.png";
    static final int WIDTH = 900;
    static final int HEIGHT = 540;

    private MetricsChart() {
    }

    /** Writes the chart of {@code history} (at least one epoch) as a PNG, atomically. */
    public static void write(Path png, List<EpochMetrics> history, String title) throws IOException {
        if (history.isEmpty()) {
            throw new IllegalArgumentException("no finished epoch to plot");
        }
        double[] epochs = new double[history.size()];
        double[] train = new double[history.size()];
        double[] test = new double[history.size()];
        double[] acc = new double[history.size()];
        for (int i = 0; i < history.size(); i++) {
            EpochMetrics m = history.get(i);
            epochs[i] = m.epoch();
            train[i] = m.trainLoss();
            test[i] = m.testLoss();
            acc[i] = m.testAccuracy();
        }
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle("epoch")
                .yAxisTitle("loss").build();
        XYStyler s = chart.getStyler();
        s.setLegendPosition(Styler.LegendPosition.OutsideS);
        s.setLegendLayout(Styler.LegendLayout.Horizontal);
        s.setChartBackgroundColor(Color.WHITE);
        s.setXAxisDecimalPattern("0");
        s.setYAxisGroupPosition(1, Styler.YAxisPosition.Right);
        chart.setYAxisGroupTitle(1, "test accuracy");
        // Accuracy on its full 0..1 scale: a zoomed axis makes 25% -> 26% look like a leap.
        s.setYAxisMin(1, 0.0);
        s.setYAxisMax(1, 1.0);
        series(chart.addSeries("train loss", epochs, train), new Color(0x1f77b4));
        series(chart.addSeries("test loss", epochs, test), new Color(0xff7f0e));
        XYSeries a = chart.addSeries("test accuracy", epochs, acc);
        a.setYAxisGroup(1);
        series(a, new Color(0x2ca02c));
        AtomicFiles.write(png, BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG));
    }

    private static void series(XYSeries s, Color c) {
        s.setLineColor(c);
        s.setMarkerColor(c);
        s.setMarker(SeriesMarkers.CIRCLE);
        s.setLineStyle(new BasicStroke(2f));
    }
}

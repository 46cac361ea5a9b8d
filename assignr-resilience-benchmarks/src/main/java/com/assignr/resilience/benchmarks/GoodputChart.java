package com.assignr.resilience.benchmarks;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The race as a picture: for each strategy, requests answered 200 and 429 over time (cumulative,
 * from the simulator's journal), against the most the windows allow; and all strategies' 200s on
 * one last panel.
 */
final class GoodputChart {
  private static final Color OK = new Color(0x2E7D32);
  private static final Color LIMITED = new Color(0xC62828);
  private static final Color IDEAL = new Color(0x9E9E9E);

  private GoodputChart() {}

  static void write(List<RaceResult> results, List<double[]> idealCurve, Path png) throws IOException {
    double xMax = 5;
    for (RaceResult r : results) xMax = Math.max(xMax, r.makespanSeconds());
    xMax = Math.ceil(xMax / 10) * 10 + 5;
    List<XYChart> charts = new ArrayList<>();
    XYChart all = chart("all strategies: 200s over time", xMax);
    for (RaceResult r : results) {
      XYChart c = chart(String.format("%s: %.1f s (ideal %.0f s), %d x 429", r.strategy(),
          r.makespanSeconds(), r.idealSeconds(), r.http429()), xMax);
      addIdeal(c, idealCurve);
      add(c, "200", r.okTimes(), OK);
      add(c, "429", r.limitedTimes(), LIMITED);
      charts.add(c);
      if (!r.okTimes().isEmpty()) {
        XYSeries s = add(all, r.strategy(), r.okTimes(), null);
        s.setLineWidth(1.5f);
      }
    }
    addIdeal(all, idealCurve);
    charts.add(all);
    int cols = charts.size() % 2 == 0 ? 2 : 1; // XChart fills the grid exactly
    int rows = (charts.size() + cols - 1) / cols;
    BitmapEncoder.saveBitmap(charts, rows, cols, png.toString(), BitmapEncoder.BitmapFormat.PNG);
  }

  private static XYChart chart(String title, double xMax) {
    XYChart c = new XYChartBuilder().width(520).height(240).title(title)
        .xAxisTitle("s since start").yAxisTitle("requests").build();
    Styler s = c.getStyler();
    c.getStyler().setXAxisMin(0.0).setXAxisMax(xMax).setYAxisMin(0.0);
    s.setLegendPosition(Styler.LegendPosition.InsideNW);
    s.setChartTitleFont(s.getChartTitleFont().deriveFont(12f));
    s.setLegendFont(s.getLegendFont().deriveFont(10f));
    s.setAntiAlias(true);
    c.getStyler().setMarkerSize(0);
    return c;
  }

  private static void addIdeal(XYChart c, List<double[]> curve) {
    double[] x = curve.stream().mapToDouble(p -> p[0]).toArray();
    double[] y = curve.stream().mapToDouble(p -> p[1]).toArray();
    XYSeries s = c.addSeries("most the windows allow", x, y);
    s.setLineColor(IDEAL);
    s.setLineStyle(new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {4f, 3f}, 0f));
    s.setMarker(SeriesMarkers.NONE);
  }

  /** A cumulative step series: one step per request at its arrival time. */
  private static XYSeries add(XYChart c, String name, List<Double> times, Color color) {
    List<Double> x = new ArrayList<>();
    List<Double> y = new ArrayList<>();
    x.add(0.0);
    y.add(0.0);
    int n = 0;
    for (double t : times) {
      x.add(t);
      y.add((double) n);
      x.add(t);
      y.add((double) ++n);
    }
    XYSeries s = c.addSeries(name, x, y);
    s.setMarker(SeriesMarkers.NONE);
    if (color != null) s.setLineColor(color);
    return s;
  }
}

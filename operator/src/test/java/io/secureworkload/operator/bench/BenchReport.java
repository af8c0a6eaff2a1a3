package io.secureworkload.operator.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import javax.imageio.ImageIO;

/**
 * The benchmark's report: markdown tables beside the environment, and one PNG of line charts (time
 * to Ready against N) above bar charts.
 */
final class BenchReport {

  /** One bar of a chart panel. */
  record Bar(String label, double value) {}

  /** One panel of the picture: a title, a unit, its bars. */
  record Panel(String title, String unit, List<Bar> bars) {}

  /** One line of a line chart: (x, y) points in x order. */
  record Series(String label, Color color, List<double[]> points) {}

  /** A line chart: its title, axis labels and lines. */
  record Chart(String title, String xLabel, String yLabel, List<Series> series) {}

  private final List<StringBuilder> sections = new ArrayList<>();
  private final List<Panel> panels = new ArrayList<>();
  private final List<Chart> charts = new ArrayList<>();
  private StringBuilder current = new StringBuilder();

  BenchReport() {
    sections.add(current);
  }

  BenchReport text(String text) {
    current.append(text).append("\n\n");
    return this;
  }

  BenchReport table(List<String> header, List<List<String>> rows) {
    current.append("| ").append(String.join(" | ", header)).append(" |\n");
    current.append("|").append(" --- |".repeat(header.size())).append("\n");
    rows.forEach(row -> current.append("| ").append(String.join(" | ", row)).append(" |\n"));
    current.append("\n");
    return this;
  }

  /** Keeps the page's place here for a section known only later (the targets); returns its key. */
  int reserve() {
    sections.add(new StringBuilder());
    int reserved = sections.size() - 1;
    current = new StringBuilder();
    sections.add(current);
    return reserved;
  }

  /** Writes the reserved section, then goes on where the page was. */
  BenchReport at(int reserved, java.util.function.Consumer<BenchReport> writer) {
    var resume = current;
    current = sections.get(reserved);
    writer.accept(this);
    current = resume;
    return this;
  }

  BenchReport chart(Chart chart) {
    charts.add(chart);
    return this;
  }

  BenchReport panel(String title, String unit, List<Bar> bars) {
    panels.add(new Panel(title, unit, bars));
    return this;
  }

  static String counts(Map<String, Long> counts) {
    return counts.isEmpty()
        ? "none"
        : counts.entrySet().stream()
            .map(e -> e.getKey() + " " + e.getValue())
            .collect(Collectors.joining(", "));
  }

  static String f(double value) {
    return value >= 100 ? "%.0f".formatted(value) : "%.2f".formatted(value);
  }

  void write(Path markdownFile, Path png) {
    try {
      Files.writeString(markdownFile, String.join("", sections));
      ImageIO.write(picture(), "png", png.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static final int WIDTH = 900;
  private static final int CHART_HEIGHT = 380;

  /**
   * Line charts first, then horizontal bars, one panel under the other, each scaled to its own
   * largest value.
   */
  private BufferedImage picture() {
    int width = WIDTH;
    int rowHeight = 26;
    int height =
        20
            + charts.size() * CHART_HEIGHT
            + panels.stream().mapToInt(p -> 50 + p.bars().size() * rowHeight).sum();
    var image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    var g = image.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setRenderingHint(
        RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, width, height);
    int y = 20;
    for (var chart : charts) {
      draw(g, chart, y);
      y += CHART_HEIGHT;
    }
    int labelWidth = 330;
    int barSpace = width - labelWidth - 110;
    for (var panel : panels) {
      g.setColor(Color.BLACK);
      g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
      g.drawString(panel.title() + " (" + panel.unit() + ")", 10, y + 18);
      y += 34;
      double max = panel.bars().stream().mapToDouble(Bar::value).max().orElse(1);
      g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
      for (var bar : panel.bars()) {
        int length = max <= 0 ? 0 : (int) Math.round(bar.value() / max * barSpace);
        g.setColor(Color.DARK_GRAY);
        g.drawString(bar.label(), 10, y + 16);
        g.setColor(new Color(0x3b, 0x75, 0xaf));
        g.fillRect(labelWidth, y + 3, Math.max(length, 1), rowHeight - 8);
        g.setColor(Color.BLACK);
        g.drawString(f(bar.value()), labelWidth + length + 6, y + 16);
        y += rowHeight;
      }
      g.setColor(Color.LIGHT_GRAY);
      g.setStroke(new BasicStroke(1));
      g.drawLine(10, y + 6, width - 10, y + 6);
      y += 16;
    }
    g.dispose();
    return image;
  }

  /** Axes from zero to the largest x and y of any line, five ticks each, a legend top left. */
  private static void draw(java.awt.Graphics2D g, Chart chart, int top) {
    int left = 80;
    int right = WIDTH - 30;
    int plotTop = top + 40;
    int bottom = top + CHART_HEIGHT - 60;
    double maxX =
        chart.series().stream()
            .flatMap(s -> s.points().stream())
            .mapToDouble(p -> p[0])
            .max()
            .orElse(1);
    double maxY =
        chart.series().stream()
            .flatMap(s -> s.points().stream())
            .mapToDouble(p -> p[1])
            .max()
            .orElse(1);
    g.setColor(Color.BLACK);
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
    g.drawString(chart.title(), 10, top + 18);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    g.setStroke(new BasicStroke(1));
    g.drawLine(left, bottom, right, bottom);
    g.drawLine(left, plotTop, left, bottom);
    for (int tick = 0; tick <= 5; tick++) {
      int x = left + (right - left) * tick / 5;
      int y = bottom - (bottom - plotTop) * tick / 5;
      g.setColor(Color.LIGHT_GRAY);
      g.drawLine(left + 1, y, right, y);
      g.setColor(Color.BLACK);
      g.drawString(f(maxX * tick / 5), x - 10, bottom + 16);
      g.drawString(f(maxY * tick / 5), left - 45, y + 4);
    }
    g.drawString(chart.xLabel(), (left + right) / 2 - 60, bottom + 34);
    g.drawString(chart.yLabel(), 10, plotTop - 8);
    int legendY = plotTop + 14;
    for (var series : chart.series()) {
      g.setColor(series.color());
      g.setStroke(new BasicStroke(2));
      int previousX = -1;
      int previousY = -1;
      for (var point : series.points()) {
        int x = left + (int) Math.round(point[0] / maxX * (right - left));
        int y = bottom - (int) Math.round(point[1] / maxY * (bottom - plotTop));
        if (previousX >= 0) {
          g.drawLine(previousX, previousY, x, y);
        }
        previousX = x;
        previousY = y;
      }
      g.fillRect(left + 12, legendY - 9, 18, 4);
      g.setColor(Color.BLACK);
      g.drawString(series.label(), left + 36, legendY - 4);
      legendY += 18;
    }
  }
}

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

/** The benchmark's report: markdown tables beside the environment, and one PNG of bar charts. */
final class BenchReport {

  /** One bar of a chart panel. */
  record Bar(String label, double value) {}

  /** One panel of the picture: a title, a unit, its bars. */
  record Panel(String title, String unit, List<Bar> bars) {}

  private final StringBuilder markdown = new StringBuilder();
  private final List<Panel> panels = new ArrayList<>();

  BenchReport text(String text) {
    markdown.append(text).append("\n\n");
    return this;
  }

  BenchReport table(List<String> header, List<List<String>> rows) {
    markdown.append("| ").append(String.join(" | ", header)).append(" |\n");
    markdown.append("|").append(" --- |".repeat(header.size())).append("\n");
    rows.forEach(row -> markdown.append("| ").append(String.join(" | ", row)).append(" |\n"));
    markdown.append("\n");
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
      Files.writeString(markdownFile, markdown.toString());
      ImageIO.write(picture(), "png", png.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Horizontal bars, one panel under the other, each scaled to its own largest bar. */
  private BufferedImage picture() {
    int width = 900;
    int rowHeight = 26;
    int height = 20 + panels.stream().mapToInt(p -> 50 + p.bars().size() * rowHeight).sum();
    var image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    var g = image.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setRenderingHint(
        RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, width, height);
    int y = 20;
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
}

package dev.orchestrate.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orchestrate.bus.BuildOutcome;
import dev.orchestrate.env.store.AtomicFiles;
import dev.orchestrate.run.PackageResult;
import dev.orchestrate.run.RunResult;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code --html-report FILE}: one self-contained page (inline CSS and script, nothing fetched)
 * with the summary, the timeline of the worker slots, and each failure with the tail of its
 * log. The page embeds the JSON report and the timeline as data and draws itself; when it is
 * done it sets {@code data-rendered="true"} on {@code <html>} ({@code data-render-error} if its
 * script failed), which is what a headless browser test waits for.
 */
public final class HtmlReport {
  /** Lines of a failure's log shown on the page. */
  static final int TAIL_LINES = 60;
  static final int TAIL_BYTES = 24 * 1024;
  private static final ObjectMapper JSON = new ObjectMapper();

  private HtmlReport() {}

  public static void write(RunResult run, Timeline timeline, long nowMillis, Path file) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    Files.createDirectories(parent);
    Path tmp = Files.createTempFile(parent, "." + file.getFileName(), ".tmp");
    try {
      Files.writeString(tmp, render(run, timeline, nowMillis), StandardCharsets.UTF_8);
      AtomicFiles.moveAtomically(tmp, file);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  static String render(RunResult run, Timeline timeline, long nowMillis) throws IOException {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("report", JsonReport.toMap(run));
    List<Object> spans = new ArrayList<>();
    for (Timeline.Span s : timeline.spans(nowMillis)) {
      Map<String, Object> span = new LinkedHashMap<>();
      span.put("kind", s.kind().name().toLowerCase(java.util.Locale.ROOT));
      span.put("member", s.member());
      span.put("name", s.name());
      span.put("tree", s.tree());
      span.put("slot", s.slot());
      span.put("start", s.start());
      span.put("end", Math.max(s.start(), s.end()));
      span.put("outcome", s.outcome());
      spans.add(span);
    }
    data.put("spans", spans);
    data.put("slots", Math.max(1, timeline.slotCount(nowMillis)));
    Map<String, String> tails = new LinkedHashMap<>();
    for (PackageResult p : run.packages()) {
      if (p.outcome() instanceof BuildOutcome.Failed f && f.log().isPresent()) {
        tails.put(p.name(), tail(f.log().get()));
      }
    }
    data.put("logTails", tails);
    return page("run-report.html", "orchestrate run: " + run.root().getFileName(), data);
  }

  /** The template with its title and data filled in; the data cannot close the script element. */
  static String page(String template, String title, Object data) throws IOException {
    String json = JSON.writeValueAsString(data).replace("</", "<\\/").replace("<!--", "<\\!--");
    return template(template).replace("{{TITLE}}", escape(title)).replace("{{DATA}}", json);
  }

  static String template(String name) {
    try (InputStream in = HtmlReport.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The last lines of a log, decoded leniently (backends write any bytes). */
  static String tail(Path log) {
    try (RandomAccessFile raf = new RandomAccessFile(log.toFile(), "r")) {
      long length = raf.length();
      long from = Math.max(0, length - TAIL_BYTES);
      byte[] bytes = new byte[(int) (length - from)];
      raf.seek(from);
      raf.readFully(bytes);
      String text = new String(bytes, StandardCharsets.UTF_8);
      String[] lines = text.split("\n", -1);
      int skip = Math.max(from > 0 ? 1 : 0, lines.length - TAIL_LINES);
      return String.join("\n", java.util.Arrays.copyOfRange(lines, skip, lines.length)).stripTrailing();
    } catch (IOException e) {
      return "(the log cannot be read: " + e.getMessage() + ")";
    }
  }

  static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}

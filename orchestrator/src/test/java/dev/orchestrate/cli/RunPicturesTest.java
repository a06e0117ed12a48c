package dev.orchestrate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pictures of a run written to files: the JSON report (checked against the shipped schema),
 * the Chrome trace (parsed back: tracks, one span per hook), the HTML run report and the HTML
 * graph (opened in headless Chromium: they render without errors and show the failed package).
 * One partly failing run of the example monorepo (plus the raises fixture, which delta needs)
 * and one successful run feed them all.
 */
class RunPicturesTest {
  @TempDir static Path tmp;
  static Path failing;
  static Path succeeding;
  static Cli.Result failingRun;

  @BeforeAll
  static void runs() throws Exception {
    failing = Cli.copy(Cli.examples().resolve("monorepo"), tmp.resolve("failing"));
    Cli.copy(Cli.fixture("raises"), failing.resolve("packages/raises"));
    Path delta = failing.resolve("packages/delta/pyproject.toml");
    Files.writeString(delta, Files.readString(delta).replaceFirst("requires = \\[", "requires = [\"raises\", "));
    failingRun = Cli.run(tmp.resolve("cli"), "build-all", failing.toString(), "--cache-dir",
        tmp.resolve("cache").toString(), "-j", "2", "--report", failing.resolve("report.json").toString(),
        "--trace", failing.resolve("trace.json").toString(), "--html-report", failing.resolve("report.html").toString());
    assertEquals(1, failingRun.exitCode(), failingRun.toString());
    succeeding = Cli.fixtureWorkspace(tmp.resolve("succeeding"), "config-echo", "sdist-unsupported");
    Cli.Result ok = Cli.run(tmp.resolve("cli"), "build-all", succeeding.toString(), "--cache-dir",
        tmp.resolve("cache").toString(), "--report", succeeding.resolve("report.json").toString());
    assertEquals(0, ok.exitCode(), ok.toString());
  }

  static JsonSchema schema() throws Exception {
    try (InputStream in = RunPicturesTest.class.getResourceAsStream("/schemas/orchestrate-report-1.schema.json")) {
      return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in);
    }
  }

  @Test
  void reportsOfFailedAndSuccessfulRunsMatchTheShippedSchema() throws Exception {
    JsonSchema schema = schema();
    for (Path root : List.of(failing, succeeding)) {
      JsonNode report = Cli.report(root.resolve("report.json"));
      Set<ValidationMessage> errors = schema.validate(report);
      assertEquals(Set.of(), errors, root + ": " + report.toPrettyString());
    }
  }

  @Test
  void theSchemaRejectsWhatIsNotAReport() throws Exception {
    JsonNode report = Cli.report(failing.resolve("report.json"));
    ((com.fasterxml.jackson.databind.node.ObjectNode) report.get("summary")).put("built", -1);
    ((com.fasterxml.jackson.databind.node.ObjectNode) report.get("packages").get(0)).put("status", "exploded");
    ((com.fasterxml.jackson.databind.node.ObjectNode) report).put("undocumented", true);
    assertTrue(schema().validate(report).size() >= 3, schema().validate(report).toString());
  }

  @Test
  void theTraceHasOneTrackPerWorkerSlotAndOneSpanPerHook() throws Exception {
    JsonNode trace = Cli.JSON.readTree(failing.resolve("trace.json").toFile());
    JsonNode report = Cli.report(failing.resolve("report.json"));
    Map<Integer, String> tracks = new HashMap<>();
    Map<String, Integer> hookSpans = new HashMap<>();
    int environmentSpans = 0;
    Map<Integer, List<long[]>> packagesByTrack = new HashMap<>();
    for (JsonNode e : trace.get("traceEvents")) {
      String ph = e.get("ph").asText();
      if (ph.equals("M") && e.get("name").asText().equals("thread_name")) {
        tracks.put(e.get("tid").asInt(), e.at("/args/name").asText());
      } else if (ph.equals("X")) {
        assertTrue(e.get("dur").asLong() >= 0 && e.get("ts").asLong() >= 0, e.toString());
        switch (e.get("cat").asText()) {
          case "hook" -> hookSpans.merge(e.at("/args/package").asText() + " " + e.get("name").asText()
              + " " + e.at("/args/tree").asText(), 1, Integer::sum);
          case "environment" -> environmentSpans++;
          case "package" -> packagesByTrack.computeIfAbsent(e.get("tid").asInt(), t -> new java.util.ArrayList<>())
              .add(new long[] {e.get("ts").asLong(), e.get("ts").asLong() + e.get("dur").asLong()});
          default -> throw new AssertionError("unknown category " + e);
        }
        assertTrue(tracks.containsKey(e.get("tid").asInt()), "a span on an unnamed track: " + e);
      }
    }
    // Two jobs: at most two tracks, named.
    assertTrue(tracks.size() >= 1 && tracks.size() <= 2, tracks.toString());
    assertEquals("worker 1", tracks.get(1));
    // Every hook the report lists has exactly one span, and there are no others.
    Map<String, Integer> expected = new HashMap<>();
    int environments = 0;
    for (JsonNode p : report.get("packages")) {
      for (JsonNode h : p.get("hooks")) {
        expected.merge(p.get("name").asText() + " " + h.get("hook").asText() + " " + h.get("tree").asText(), 1, Integer::sum);
      }
      environments += p.get("environments").size();
    }
    assertEquals(expected, hookSpans);
    assertTrue(environmentSpans >= environments, environmentSpans + " < " + environments);
    // Packages on one track never overlap: a track is a worker slot.
    for (List<long[]> spans : packagesByTrack.values()) {
      spans.sort((a, b) -> Long.compare(a[0], b[0]));
      for (int i = 1; i < spans.size(); i++) {
        assertTrue(spans.get(i)[0] >= spans.get(i - 1)[1] - 1000, "overlap on a track");
      }
    }
  }

  @Test
  void theHtmlReportRendersInABrowserAndShowsTheFailure() throws Exception {
    Path page = failing.resolve("report.html");
    String html = Files.readString(page);
    assertFalse(Pattern.compile("<(script|link|img)[^>]+(src|href)=\"https?:").matcher(html).find(),
        "the page must not fetch anything");
    String dom = Chromium.dumpDom(page, tmp.resolve("chromium"));
    assertEquals("true", htmlAttribute(dom, "data-rendered"), "the page's script did not finish: " + dom);
    assertEquals("", htmlAttribute(dom, "data-render-error"), dom);
    assertTrue(dom.contains("<span class=\"failure-name\">raises</span>"), dom);
    assertTrue(dom.contains("raises: about to fail in build_wheel"), "the log tail is shown");
    assertTrue(dom.contains("RuntimeError: raises fixture: build_wheel failed on purpose"), "and the traceback");
    assertTrue(dom.contains("class=\"span package\""), "the timeline was drawn");
    assertTrue(dom.contains("<td class=\"status skipped\">skipped</td>"), "delta-tools is skipped");
    Chromium.screenshot(page, tmp.resolve("report.png"), 1280, 1400, tmp.resolve("chromium"));
    copyForALook(tmp.resolve("report.png"), "report.png");
  }

  @Test
  void theGraphPageDrawsEveryMemberAndColoursThemByTheReport() throws Exception {
    Path page = tmp.resolve("graph.html");
    Cli.Result r = Cli.run(tmp.resolve("cli"), "graph", failing.toString(), "--format", "html",
        "--report", failing.resolve("report.json").toString(), "-o", page.toString(),
        "--cache-dir", tmp.resolve("cache").toString());
    assertEquals(0, r.exitCode(), r.toString());
    String dom = Chromium.dumpDom(page, tmp.resolve("chromium"));
    assertEquals("true", htmlAttribute(dom, "data-rendered"), dom);
    assertEquals("", htmlAttribute(dom, "data-render-error"), dom);
    Set<String> nodes = new HashSet<>();
    Matcher m = Pattern.compile("<g class=\"node ([a-z-]+)\"[^>]*data-package=\"([a-z-]+)\"").matcher(dom);
    Map<String, String> status = new HashMap<>();
    while (m.find()) {
      nodes.add(m.group(2));
      status.put(m.group(2), m.group(1));
    }
    assertEquals(Set.of("house-backend", "alpha", "beta", "gamma", "delta-tools", "epsilon", "raises"), nodes, dom);
    assertEquals("failed", status.get("raises"));
    assertEquals("skipped", status.get("delta-tools"));
    assertEquals("built", status.get("alpha"));
    Chromium.screenshot(page, tmp.resolve("graph.png"), 1280, 700, tmp.resolve("chromium"));
    copyForALook(tmp.resolve("graph.png"), "graph.png");
  }

  /** An attribute of the page's {@code <html>} element as the script left it, "" when absent. */
  private static String htmlAttribute(String dom, String name) {
    Matcher html = Pattern.compile("<html[^>]*>").matcher(dom);
    assertTrue(html.find(), dom);
    Matcher attribute = Pattern.compile(name + "=\"([^\"]*)\"").matcher(html.group());
    return attribute.find() ? attribute.group(1) : "";
  }

  /** With -Dpictures.dir=DIR the screenshots are kept there, to look at. */
  private static void copyForALook(Path png, String name) throws Exception {
    String dir = System.getProperty("pictures.dir");
    if (dir != null) {
      Files.createDirectories(Path.of(dir));
      Files.copy(png, Path.of(dir, name), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
  }
}

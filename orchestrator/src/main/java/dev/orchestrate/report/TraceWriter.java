package dev.orchestrate.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orchestrate.env.store.AtomicFiles;
import dev.orchestrate.run.PackageResult;
import dev.orchestrate.run.RunResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code --trace FILE}: the run in the Chrome trace-event format, which Perfetto
 * (ui.perfetto.dev) and chrome://tracing open. One process (the run), one thread track per
 * worker slot named by metadata events, and complete ({@code "ph": "X"}) events: a span per
 * package attempt with its hooks and environment steps nested inside it. Times are microseconds
 * from the start of the run.
 */
public final class TraceWriter {
  public static final String SCHEMA = "orchestrate.trace/1";
  private static final ObjectMapper JSON = new ObjectMapper();
  static final int PID = 1;

  private TraceWriter() {}

  public static void write(RunResult run, Timeline timeline, long nowMillis, Path file)
      throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    Files.createDirectories(parent);
    Path tmp = Files.createTempFile(parent, "." + file.getFileName(), ".tmp");
    try {
      JSON.writeValue(tmp.toFile(), toMap(run, timeline, nowMillis));
      AtomicFiles.moveAtomically(tmp, file);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  static Map<String, Object> toMap(RunResult run, Timeline timeline, long nowMillis) {
    List<Timeline.Span> spans = timeline.spans(nowMillis);
    int slots = Math.max(1, timeline.slotCount(nowMillis));
    List<Object> events = new ArrayList<>();
    events.add(meta("process_name", 0, Map.of("name", "orchestrate " + run.root())));
    for (int slot = 0; slot < slots; slot++) {
      events.add(meta("thread_name", slot + 1, Map.of("name", "worker " + (slot + 1))));
      events.add(meta("thread_sort_index", slot + 1, Map.of("sort_index", slot + 1)));
    }
    Map<String, PackageResult> packages = new HashMap<>();
    run.packages().forEach(p -> packages.put(p.name(), p));
    // Children stay inside their package's span (clock readings of two threads may differ by a ms).
    Map<String, List<Timeline.Span>> parents = new HashMap<>();
    for (Timeline.Span s : spans) {
      if (s.kind() == Timeline.Kind.PACKAGE) {
        parents.computeIfAbsent(s.member(), m -> new ArrayList<>()).add(s);
      }
    }
    for (Timeline.Span s : spans) {
      long start = s.start();
      long end = Math.max(s.end(), start);
      if (s.kind() != Timeline.Kind.PACKAGE) {
        for (Timeline.Span p : parents.getOrDefault(s.member(), List.of())) {
          if (p.slot() == s.slot() && p.start() <= start + 1
              && p.end() + 1 >= start) {
            start = Math.max(start, p.start());
            end = Math.min(Math.max(end, start), Math.max(p.end(), start));
          }
        }
      }
      Map<String, Object> args = new LinkedHashMap<>();
      args.put("package", s.member());
      String name;
      String category;
      switch (s.kind()) {
        case PACKAGE -> {
          name = s.member();
          category = "package";
          args.put("status", s.outcome());
          PackageResult p = packages.get(s.member());
          if (p != null) {
            p.effectiveVersion().ifPresent(v -> args.put("version", v));
          }
        }
        case ENVIRONMENT -> {
          name = s.outcome().equals("created") ? "create environment" : "environment";
          category = "environment";
          args.put("tree", s.tree());
          args.put("outcome", s.outcome());
        }
        default -> {
          name = s.name();
          category = "hook";
          args.put("tree", s.tree());
          args.put("outcome", s.outcome());
        }
      }
      Map<String, Object> event = new LinkedHashMap<>();
      event.put("name", name);
      event.put("cat", category);
      event.put("ph", "X");
      event.put("ts", start * 1000);
      event.put("dur", (end - start) * 1000);
      event.put("pid", PID);
      event.put("tid", s.slot() + 1);
      event.put("args", args);
      events.add(event);
    }
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("traceEvents", events);
    root.put("displayTimeUnit", "ms");
    Map<String, Object> other = new LinkedHashMap<>();
    other.put("schema", SCHEMA);
    other.put("root", run.root().toString());
    other.put("started", run.started().toString());
    other.put("wallTimeMillis", run.wallTime().toMillis());
    root.put("otherData", other);
    return root;
  }

  private static Map<String, Object> meta(String name, int tid, Map<String, Object> args) {
    Map<String, Object> event = new LinkedHashMap<>();
    event.put("name", name);
    event.put("ph", "M");
    event.put("pid", PID);
    event.put("tid", tid);
    event.put("args", args);
    return event;
  }
}

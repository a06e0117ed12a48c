package dev.orchestrate.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.orchestrate.bus.Artifact;
import dev.orchestrate.bus.BuildOutcome;
import dev.orchestrate.bus.EnvUse;
import dev.orchestrate.bus.HookRecord;
import dev.orchestrate.env.store.AtomicFiles;
import dev.orchestrate.run.ExecutorUse;
import dev.orchestrate.run.PackageResult;
import dev.orchestrate.run.Placement;
import dev.orchestrate.run.RunResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The machine-readable report of a run ({@code --report FILE}), schema {@code orchestrate.report/1}. */
public final class JsonReport {
  public static final String SCHEMA = "orchestrate.report/1";
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private JsonReport() {}

  /** Writes the report atomically: a reader sees the previous report or this one. */
  public static void write(RunResult run, Path file) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    Files.createDirectories(parent);
    Path tmp = Files.createTempFile(parent, "." + file.getFileName(), ".tmp");
    try {
      JSON.writeValue(tmp.toFile(), toMap(run));
      AtomicFiles.moveAtomically(tmp, file);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  public static Map<String, Object> toMap(RunResult run) {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("schema", SCHEMA);
    root.put("root", run.root().toString());
    root.put("outDir", run.outDir().toString());
    root.put("runDir", run.runDir().toString());
    root.put("python", Map.of("executable", run.python(), "version", run.pythonVersion()));
    root.put("started", run.started().toString());
    List<Object> packages = new ArrayList<>();
    for (PackageResult p : run.packages()) {
      packages.add(packageEntry(p));
    }
    root.put("packages", packages);
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("total", run.packages().size());
    summary.put("built", run.count("built"));
    summary.put("failed", run.count("failed"));
    summary.put("skipped", run.count("skipped"));
    summary.put("upToDate", run.count("up-to-date"));
    summary.put("environmentsCreated", run.environmentsCreated());
    summary.put("environmentsReused", run.environmentsReused());
    summary.put("wallTimeMillis", run.wallTime().toMillis());
    root.put("summary", summary);
    root.put("executors", executors(run));
    return root;
  }

  /** Cluster mode: each agent (and {@code local}) with its slots and how busy this run kept them. */
  private static List<Object> executors(RunResult run) {
    List<Object> executors = new ArrayList<>();
    for (ExecutorUse e : run.executors()) {
      executors.add(ordered("id", e.id(), "host", e.host(), "slots", e.slots(), "packages",
          e.packages(), "busyMillis", e.busyMillis(), "utilisation",
          Math.round(e.utilisation(run.wallTime().toMillis()) * 1000) / 1000.0));
    }
    return executors;
  }

  private static Map<String, Object> packageEntry(PackageResult p) {
    BuildOutcome outcome = p.outcome();
    Map<String, Object> entry = new LinkedHashMap<>();
    // A member whose pyproject.toml could not be used is known by its path alone.
    entry.put("name", p.unnamed() ? null : p.name());
    entry.put("displayName", p.unnamed() ? null : p.displayName());
    entry.put("version", p.effectiveVersion().orElse(null));
    entry.put("path", p.dir().toString());
    entry.put("status", p.status());
    entry.put("durationMillis", p.durationMillis());
    // Cluster mode: which agent built it (or `local`), and every attempt (lost, refused...).
    entry.put("agent", p.placement().map(Placement::executor).orElse(null));
    entry.put("attempts", p.placement().map(pl -> pl.attempts().stream().map(a -> (Object) ordered(
        "number", a.number(), "agent", a.executor(), "result", a.result(), "detail", a.detail(),
        "durationMillis", a.durationMillis())).toList()).orElse(List.of()));
    List<Object> artifacts = new ArrayList<>();
    if (outcome instanceof BuildOutcome.Built built) {
      for (Artifact a : built.artifacts()) {
        artifacts.add(ordered("kind", a.kind(), "file", a.file(), "path", a.path().toString(),
            "sha256", a.sha256(), "size", a.size()));
      }
      entry.put("fallback", built.fallback().orElse(null));
    } else if (outcome instanceof BuildOutcome.UpToDate upToDate) {
      for (Artifact a : upToDate.artifacts()) {
        artifacts.add(ordered("kind", a.kind(), "file", a.file(), "path", a.path().toString(),
            "sha256", a.sha256(), "size", a.size()));
      }
      entry.put("fallback", null);
      entry.put("restored", upToDate.restored());
    } else {
      entry.put("fallback", null);
    }
    entry.put("artifacts", artifacts);
    List<EnvUse> envs = outcome.environments();
    entry.put("environment", envs.isEmpty() ? null : envs.get(envs.size() - 1).key());
    List<Object> environments = new ArrayList<>();
    for (EnvUse e : envs) {
      environments.add(ordered("key", e.key(), "path", e.path().toString(), "created", e.createdNow(),
          "requirements", e.requirements(), "resolved", e.resolved()));
    }
    entry.put("environments", environments);
    List<Object> hooks = new ArrayList<>();
    for (HookRecord h : outcome.hooks()) {
      hooks.add(ordered("hook", h.hook(), "tree", h.tree(), "outcome", h.outcome(),
          "durationMillis", h.durationMillis(), "environment", h.environment(), "runner", h.runner(),
          "log", h.log().toString()));
    }
    entry.put("hooks", hooks);
    if (outcome instanceof BuildOutcome.Failed f) {
      entry.put("error", ordered("stage", f.stage(), "cause", f.cause(), "detail", f.detail(),
          "log", f.log().map(Path::toString).orElse(null), "hints", f.hints()));
    } else if (outcome instanceof BuildOutcome.Skipped s) {
      entry.put("error", ordered("stage", "skipped", "cause", s.because()));
    } else {
      entry.put("error", null);
    }
    return entry;
  }

  private static Map<String, Object> ordered(Object... keyValues) {
    Map<String, Object> map = new LinkedHashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      map.put((String) keyValues[i], keyValues[i + 1]);
    }
    return map;
  }
}

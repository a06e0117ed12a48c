package dev.orchestrate.shim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Calls one hook in one fresh Python subprocess through the shim: writes input.json into the
 * control directory, runs {@code python orchestrate_shim.py hook NAME CONTROL_DIR}, reads
 * output.json back into a {@link HookResult}. File I/O and process start happen on the worker
 * pool; the wait for the process does not hold a thread.
 */
public final class HookRunner implements HookCaller {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int TAIL_BYTES = 8 * 1024;

  private final Vertx vertx;
  private final WorkerExecutor workers;
  private final Path shim;

  public HookRunner(Vertx vertx, WorkerExecutor workers, Path shim) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.workers = Objects.requireNonNull(workers, "workers");
    this.shim = Objects.requireNonNull(shim, "shim");
  }

  @Override
  public Future<HookCall> call(HookRequest request) {
    Instant started = Instant.now();
    return workers
        .executeBlocking(() -> prepare(request), false)
        .compose(command -> Subprocess.run(vertx, workers, command))
        .compose(exit -> workers.executeBlocking(() -> interpret(request, exit), false))
        .map(result -> new HookCall(request.hook(), result, started,
            java.time.Duration.between(started, Instant.now()), request.log()));
  }

  /** Nothing to release: each call's process is gone when the call completes. */
  @Override
  public Future<Void> close() {
    return Future.succeededFuture();
  }

  private Subprocess.Command prepare(HookRequest request) throws IOException {
    writeInput(request);
    List<String> argv = List.of(request.python().toString(), shim.toString(), "hook",
        request.hook().pythonName(), request.controlDir().toString());
    return new Subprocess.Command(argv, request.workingDir(), request.environment(), request.log(),
        request.timeout());
  }

  /** Writes the control directory's input.json (and removes a stale output.json): blocking. */
  static void writeInput(HookRequest request) throws IOException {
    Files.createDirectories(request.controlDir());
    Files.deleteIfExists(request.controlDir().resolve("output.json"));
    Map<String, Object> input = new LinkedHashMap<>();
    input.put("backend", request.backend());
    input.put("backend_path", request.backendPath().stream().map(Path::toString).toList());
    input.put("kwargs", request.kwargs());
    JSON.writeValue(request.controlDir().resolve("input.json").toFile(), input);
  }

  /** The result of a hook process that ended with {@code exit}, from its output.json: blocking. */
  static HookResult interpret(HookRequest request, Subprocess.Exit exit) throws IOException {
    if (exit instanceof Subprocess.Exit.TimedOut t) {
      return new HookResult.TimedOut(t, tail(request.log()));
    }
    Path output = request.controlDir().resolve("output.json");
    // The shim writes output.json last and exits 0; anything else means the process died.
    if (!exit.succeeded() || !Files.isRegularFile(output)) {
      return new HookResult.Died(exit, tail(request.log()));
    }
    return decode(JSON.readTree(output.toFile()));
  }

  static HookResult decode(JsonNode out) throws IOException {
    String outcome = out.path("outcome").asText("");
    String message = out.path("message").asText("");
    String traceback = out.path("traceback").asText("");
    return switch (outcome) {
      case "success" -> new HookResult.Success(JSON.treeToValue(out.get("return_val"), Object.class));
      case "backend_unavailable" -> {
        List<String> sysPath = new ArrayList<>();
        out.path("sys_path").forEach(p -> sysPath.add(p.asText()));
        Optional<String> missing = Optional.ofNullable(out.get("missing_module"))
            .filter(JsonNode::isTextual).map(JsonNode::asText);
        yield new HookResult.BackendUnavailable(message, traceback, missing, sysPath);
      }
      case "backend_invalid" -> new HookResult.BackendInvalid(message, traceback);
      case "hook_missing" -> new HookResult.HookMissing(message);
      case "unsupported" -> new HookResult.Unsupported(message, traceback);
      case "exception" -> new HookResult.Raised(message, traceback);
      default -> throw new IOException("the hook runner wrote an unknown outcome `" + outcome + "`");
    };
  }

  /** The last few KiB of a log, decoded leniently (backends may print anything). */
  public static String tail(Path log) {
    try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "r")) {
      long length = f.length();
      long start = Math.max(0, length - TAIL_BYTES);
      byte[] bytes = new byte[(int) (length - start)];
      f.seek(start);
      f.readFully(bytes);
      String text = new String(bytes, StandardCharsets.UTF_8); // malformed input becomes U+FFFD
      if (start > 0) {
        int nl = text.indexOf('\n');
        text = nl >= 0 ? text.substring(nl + 1) : text;
      }
      return text;
    } catch (IOException e) {
      return "";
    }
  }
}

package dev.orchestrate.shim;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What makes two hook calls able to share a fork server: the same interpreter (so the same build
 * environment), the same backend and backend-path, and the same hook environment variables — the
 * server imports the backend under them.
 */
record ServerKey(Path python, String backend, List<Path> backendPath, Map<String, String> environment) {
  ServerKey {
    Objects.requireNonNull(python, "python");
    Objects.requireNonNull(backend, "backend");
    backendPath = List.copyOf(backendPath);
    environment = Map.copyOf(environment);
  }

  static ServerKey of(HookRequest request) {
    return new ServerKey(request.python(), request.backend(), request.backendPath(),
        request.environment());
  }

  /** The backend's module: {@code setuptools.build_meta} of {@code setuptools.build_meta:__legacy__}. */
  String module() {
    int colon = backend.indexOf(':');
    return (colon < 0 ? backend : backend.substring(0, colon)).strip();
  }

  /** A file-name-safe label for logs and directories. */
  String slug() {
    String s = module().replaceAll("[^A-Za-z0-9_.-]", "_");
    return s.length() > 40 ? s.substring(0, 40) : s;
  }

  @Override
  public String toString() {
    // The environment is long and may hold secrets: never print it.
    return backend + (backendPath.isEmpty() ? "" : " " + backendPath) + " under " + python;
  }
}

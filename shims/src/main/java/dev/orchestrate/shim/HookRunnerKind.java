package dev.orchestrate.shim;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** How hooks are run, as {@code --hook-runner} and {@code [tool.orchestrate] hook-runner} name it. */
public enum HookRunnerKind {
  /** A fresh interpreter per hook call, as PEP 517 recommends: {@link HookRunner}. */
  FRESH("fresh"),
  /**
   * A child forked from a warm server per hook call ({@link ForkServerRunner}); the server imports
   * the backend and, as hooks reveal them, the library modules they import lazily (standard
   * library and site-packages only, each probed for side effects first), so that later children
   * start with them. Also accepted as {@code forkserver-warm}, its earlier name.
   */
  FORKSERVER("forkserver"),
  /** As {@link #FORKSERVER}, with servers that import the backend and the shim only, nothing else. */
  FORKSERVER_COLD("forkserver-cold");

  private final String label;

  HookRunnerKind(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }

  /** Whether the fork server also imports what hooks imported lazily. */
  public boolean warmImports() {
    return this == FORKSERVER;
  }

  /** The kind named {@code text}; the message of the exception lists the accepted names. */
  public static HookRunnerKind parse(String text) {
    String name = text.trim().toLowerCase(Locale.ROOT);
    if (name.equals("forkserver-warm")) {
      return FORKSERVER;
    }
    for (HookRunnerKind kind : values()) {
      if (kind.label.equals(name)) {
        return kind;
      }
    }
    List<String> names = Arrays.stream(values()).map(k -> "`" + k.label + "`").toList();
    throw new IllegalArgumentException("expected " + String.join(", ", names.subList(0, names.size() - 1))
        + " or " + names.get(names.size() - 1) + ", got `" + text + "`");
  }

  @Override
  public String toString() {
    return label;
  }
}

package dev.orchestrate.shim;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** How hooks are run, as {@code --hook-runner} and {@code [tool.orchestrate] hook-runner} name it. */
public enum HookRunnerKind {
  /** A fresh interpreter per hook call, as PEP 517 recommends: {@link HookRunner}. */
  FRESH("fresh"),
  /** A child forked from a warm server per hook call: {@link ForkServerRunner}. */
  FORKSERVER("forkserver"),
  /**
   * As {@link #FORKSERVER}, and the server also imports the library modules hooks imported
   * lazily (standard library and site-packages only), so that later children start with them.
   */
  FORKSERVER_WARM("forkserver-warm");

  private final String label;

  HookRunnerKind(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }

  /** The kind named {@code text}; the message of the exception lists the accepted names. */
  public static HookRunnerKind parse(String text) {
    for (HookRunnerKind kind : values()) {
      if (kind.label.equals(text.trim().toLowerCase(Locale.ROOT))) {
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

package dev.orchestrate.shim;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** How hooks are run, as {@code --hook-runner} and {@code [tool.orchestrate] hook-runner} name it. */
public enum HookRunnerKind {
  /** A fresh interpreter per hook call, as PEP 517 recommends: {@link HookRunner}. */
  FRESH("fresh"),
  /** A child forked from a warm server per hook call: {@link ForkServerRunner}. */
  FORKSERVER("forkserver");

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
    throw new IllegalArgumentException("expected " + Arrays.stream(values())
        .map(k -> "`" + k.label + "`").collect(Collectors.joining(" or ")) + ", got `" + text + "`");
  }

  @Override
  public String toString() {
    return label;
  }
}

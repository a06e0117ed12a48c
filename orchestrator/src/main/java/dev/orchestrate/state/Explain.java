package dev.orchestrate.state;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Why a package is up to date or is rebuilt, in words: which file was added, removed, modified
 * or renamed, which setting changed and from what to what, which dependency changed (and why
 * that one did), as the diff between the input manifest of its last successful build and its
 * inputs now.
 */
public final class Explain {
  /** Changes named on one line before "and N more". */
  static final int SHOWN = 3;

  private final StateStore store;
  private final Function<String, Optional<InputManifest>> current;

  /** @param current a member's manifest now (own inputs and dependencies' hashes) */
  public Explain(StateStore store, Function<String, Optional<InputManifest>> current) {
    this.store = store;
    this.current = current;
  }

  /** One line: {@code up to date}, or {@code rebuild: file `x` modified; ...}. */
  public String line(String member, Verdict verdict) {
    if (verdict instanceof Verdict.Fresh) {
      return "up to date";
    } else if (verdict instanceof Verdict.Unverified u) {
      return "inputs unchanged, but " + String.join("; ", u.why())
          + ": checked again before building (a missing artifact is restored from the state store)";
    }
    Verdict.Stale stale = (Verdict.Stale) verdict;
    if (stale.previous().isEmpty() || !stale.why().equals("inputs changed")) {
      return "rebuild: " + stale.why();
    }
    List<String> reasons = reasons(member, stale.previous().get().inputHash(), 1, new TreeSet<>());
    return "rebuild: " + summarize(reasons);
  }

  /** The full answer for {@code orchestrate why}: a dependency's own reasons indented below it. */
  public List<String> lines(String member, Verdict verdict) {
    List<String> out = new ArrayList<>();
    if (!(verdict instanceof Verdict.Stale stale) || stale.previous().isEmpty()
        || !stale.why().equals("inputs changed")) {
      out.add(member + ": " + line(member, verdict));
      return out;
    }
    out.add(member + ": rebuild, its inputs changed since its last successful build:");
    tree(member, stale.previous().get().inputHash(), "  ", out, new TreeSet<>());
    return out;
  }

  private void tree(String member, String previousHash, String indent, List<String> out, Set<String> seen) {
    Optional<InputManifest> before = store.manifest(member, previousHash);
    Optional<InputManifest> now = current.apply(member);
    if (before.isEmpty() || now.isEmpty()) {
      out.add(indent + "(the inputs of its previous build are no longer known)");
      return;
    }
    for (InputChange change : now.get().changesSince(before.get())) {
      out.add(indent + change.describe());
      if (change instanceof InputChange.DependencyChanged dep && seen.add(dep.member())) {
        tree(dep.member(), dep.beforeHash(), indent + "  " + dep.member() + ": ", out, seen);
      }
    }
  }

  /** The changes from the manifest behind {@code previousHash} to now; a dependency's first reason inline. */
  private List<String> reasons(String member, String previousHash, int depth, Set<String> seen) {
    Optional<InputManifest> before = store.manifest(member, previousHash);
    Optional<InputManifest> now = current.apply(member);
    if (before.isEmpty() || now.isEmpty()) {
      return List.of("inputs changed (the inputs of the previous build are no longer known)");
    }
    List<String> reasons = new ArrayList<>();
    for (InputChange change : now.get().changesSince(before.get())) {
      String text = change.describe();
      if (change instanceof InputChange.DependencyChanged dep && depth > 0 && seen.add(dep.member())) {
        List<String> inner = reasons(dep.member(), dep.beforeHash(), depth - 1, seen);
        // Said already (a setting both share changed): the dependency's name is enough.
        if (!inner.isEmpty() && !reasons.containsAll(inner)) {
          text += " (" + summarize(inner) + ")";
        }
      }
      reasons.add(text);
    }
    if (reasons.isEmpty()) {
      reasons.add("inputs changed");
    }
    return reasons;
  }

  private static String summarize(List<String> reasons) {
    if (reasons.size() <= SHOWN) {
      return String.join("; ", reasons);
    }
    return String.join("; ", reasons.subList(0, SHOWN)) + "; and " + (reasons.size() - SHOWN) + " more";
  }
}

package dev.orchestrate.env.archive;

/**
 * Why a path or link target is refused, as a phrase completing "entry 'x' ..."; turned into an
 * {@link UnsafeArchiveException} by whoever knows the archive and the entry.
 */
final class Refusal extends Exception {

  Refusal(String reason) {
    // Control flow, not a bug: no stack trace needed.
    super(reason, null, false, false);
  }
}

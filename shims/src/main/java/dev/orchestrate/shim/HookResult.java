package dev.orchestrate.shim;

import java.util.List;
import java.util.Optional;

/**
 * How one hook call ended. Expected outcomes are values: the caller decides what each means
 * (an {@link Unsupported} {@code build_sdist} is a fallback, not a failure).
 */
public sealed interface HookResult {

  /** The hook returned; the value is the decoded JSON return value (String, List, Map...). */
  record Success(Object returnValue) implements HookResult {}

  /** The backend module could not be imported. */
  record BackendUnavailable(String message, String traceback, Optional<String> missingModule,
      List<String> sysPath) implements HookResult {}

  /** The backend imported but is not what {@code build-backend}/{@code backend-path} promise. */
  record BackendInvalid(String message, String traceback) implements HookResult {}

  /** The backend has no such hook (and the hook has no default). */
  record HookMissing(String message) implements HookResult {}

  /** The hook raised the backend's {@code UnsupportedOperation}. */
  record Unsupported(String message, String traceback) implements HookResult {}

  /** The hook raised an exception (or called sys.exit). */
  record Raised(String message, String traceback) implements HookResult {}

  /** The process ended without writing a result: it exited, crashed or was killed. */
  record Died(Subprocess.Exit exit, String outputTail) implements HookResult {}

  /** The hook ran past its time limit; its whole process tree was killed. */
  record TimedOut(Subprocess.Exit.TimedOut exit, String outputTail) implements HookResult {}

  /** One line for a person: what happened, without the traceback. */
  default String summary() {
    if (this instanceof Success) {
      return "succeeded";
    } else if (this instanceof BackendUnavailable b) {
      return "backend unavailable: " + b.message();
    } else if (this instanceof BackendInvalid b) {
      return "backend invalid: " + b.message();
    } else if (this instanceof HookMissing h) {
      return "hook missing: " + h.message();
    } else if (this instanceof Unsupported u) {
      return "unsupported operation: " + u.message();
    } else if (this instanceof Raised r) {
      return "raised " + r.message();
    } else if (this instanceof Died d) {
      return "the hook process " + d.exit().describe() + " without reporting a result";
    }
    return "the hook " + ((TimedOut) this).exit().describe();
  }

  /** Short stable label for reports: {@code success}, {@code unsupported}, {@code timed-out}... */
  default String label() {
    if (this instanceof Success) {
      return "success";
    } else if (this instanceof BackendUnavailable) {
      return "backend-unavailable";
    } else if (this instanceof BackendInvalid) {
      return "backend-invalid";
    } else if (this instanceof HookMissing) {
      return "hook-missing";
    } else if (this instanceof Unsupported) {
      return "unsupported";
    } else if (this instanceof Raised) {
      return "exception";
    } else if (this instanceof Died) {
      return "died";
    }
    return "timed-out";
  }

  /** The Python traceback, when the hook produced one. */
  default Optional<String> fullTraceback() {
    String tb = null;
    if (this instanceof BackendUnavailable b) {
      tb = b.traceback();
    } else if (this instanceof BackendInvalid b) {
      tb = b.traceback();
    } else if (this instanceof Unsupported u) {
      tb = u.traceback();
    } else if (this instanceof Raised r) {
      tb = r.traceback();
    }
    return Optional.ofNullable(tb).filter(s -> !s.isBlank());
  }
}

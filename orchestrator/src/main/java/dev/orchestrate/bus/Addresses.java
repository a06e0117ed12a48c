package dev.orchestrate.bus;

/** Event-bus addresses. */
public final class Addresses {
  /** Executors consume {@link BuildRequest}s here and reply with a {@link BuildOutcome}. */
  public static final String BUILD = "orchestrate.executor.build";

  /** Executors publish {@link HookEvent}s here while they work (progress, not results). */
  public static final String EVENTS = "orchestrate.events";

  private Addresses() {}
}

package dev.orchestrate.shim;

import io.vertx.core.Future;

/**
 * Something that calls PEP 517 hooks: {@link HookRunner} (a fresh process per call, the default)
 * or {@link ForkServerRunner} (a child forked from a warm server per call).
 */
public interface HookCaller {

  /** Calls one hook. Never fails for what the hook or its process did: that is the result. */
  Future<HookCall> call(HookRequest request);

  /** Releases what the caller holds (server processes); calls made afterwards run fresh. */
  Future<Void> close();
}

package dev.orchestrate.cluster;

/**
 * A coordinator asks an agent for one of its run's tasks back, if one has not begun there: queued
 * for a slot, or still being checked (another agent has a free slot meanwhile). The reply is the
 * id of the task given back (that task's own reply is then {@link TaskReply.Returned}), or ""
 * when none waits.
 */
public record Withdrawal(String runId) {}

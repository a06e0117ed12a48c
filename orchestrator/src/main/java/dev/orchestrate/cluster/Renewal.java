package dev.orchestrate.cluster;

/** An agent still works on a task: extend its lease. The reply is true, or false when it is lost. */
public record Renewal(String taskId, String agent) {}

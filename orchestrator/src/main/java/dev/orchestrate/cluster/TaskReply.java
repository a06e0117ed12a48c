package dev.orchestrate.cluster;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import dev.orchestrate.bus.BuildOutcome;
import java.util.Optional;

/** An agent's answer to a {@link Task}. */
@JsonTypeInfo(use = JsonTypeInfo.Id.SIMPLE_NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(TaskReply.Completed.class),
    @JsonSubTypes.Type(TaskReply.Refused.class),
    @JsonSubTypes.Type(TaskReply.Returned.class)
})
public sealed interface TaskReply {
  String taskId();

  String agent();

  /**
   * The package's outcome. For {@link BuildOutcome.Built}, artifact paths are the agent's and each
   * file is fetched from {@code artifactBase + "/" + file}.
   *
   * @param reusedFrom the agent whose earlier build of the same input hash this is, if it is one
   * @param busyMillis how long the task held one of the agent's slots (not its time queued there):
   *     the agent's utilisation in the report
   */
  record Completed(String taskId, String agent, BuildOutcome outcome, String artifactBase,
      Optional<String> reusedFrom, long busyMillis) implements TaskReply {}

  /**
   * Not built here, for a reason that another agent may not have: a different tree, a
   * workspace outside its {@code --workspace}, another interpreter, a wheel it could not fetch.
   */
  record Refused(String taskId, String agent, String reason) implements TaskReply {}

  /**
   * Given back unstarted, at the coordinator's request ({@link Withdrawal}): it waited in the
   * agent's queue while another agent had a free slot. Not an attempt: it was never begun.
   */
  record Returned(String taskId, String agent) implements TaskReply {}
}

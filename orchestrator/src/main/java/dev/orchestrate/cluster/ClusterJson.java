package dev.orchestrate.cluster;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import dev.orchestrate.bus.RecordCodec;
import io.vertx.core.eventbus.EventBus;
import java.io.UncheckedIOException;

/**
 * Records as JSON: on the event bus (codecs) and as the values of the Hazelcast maps, so that
 * the maps hold plain strings and no class of ours has to be serializable by Hazelcast.
 */
public final class ClusterJson {
  static final ObjectMapper JSON = new ObjectMapper()
      .registerModule(new Jdk8Module())
      .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  private ClusterJson() {}

  /** Registers the build records and the cluster's own messages. Idempotent. */
  public static void registerCodecs(EventBus bus) {
    RecordCodec.registerAll(bus);
    RecordCodec.register(bus, Task.class);
    RecordCodec.register(bus, TaskReply.class);
    RecordCodec.register(bus, TaskReply.Completed.class);
    RecordCodec.register(bus, TaskReply.Refused.class);
    RecordCodec.register(bus, TaskReply.Returned.class);
    RecordCodec.register(bus, Withdrawal.class);
    RecordCodec.register(bus, Renewal.class);
  }

  public static String write(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static <T> T read(String json, Class<T> type) {
    try {
      return JSON.readValue(json, type);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}

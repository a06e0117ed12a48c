package dev.orchestrate.bus;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageCodec;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * An event-bus codec for a record type: JSON on the wire (clustered buses), the object itself
 * within one JVM (records are immutable, so sharing is safe).
 */
public final class RecordCodec<T> implements MessageCodec<T, T> {
  static final ObjectMapper JSON = new ObjectMapper()
      .registerModule(new Jdk8Module())
      .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  private final Class<T> type;

  private RecordCodec(Class<T> type) {
    this.type = type;
  }

  /** Registers codecs for every message type that crosses the bus. Idempotent per Vert.x instance. */
  public static void registerAll(EventBus bus) {
    register(bus, BuildRequest.class);
    register(bus, BuildOutcome.class);
    register(bus, BuildOutcome.Built.class);
    register(bus, BuildOutcome.Failed.class);
    register(bus, BuildOutcome.Deferred.class);
    register(bus, BuildOutcome.UpToDate.class);
    register(bus, HookEvent.class);
  }

  /** Registers the codec of one more record type (cluster mode's own messages). Idempotent. */
  public static <T> void register(EventBus bus, Class<T> type) {
    try {
      bus.registerDefaultCodec(type, new RecordCodec<>(type));
    } catch (IllegalStateException alreadyRegistered) {
      // a second run in the same Vert.x instance
    }
  }

  @Override
  public void encodeToWire(Buffer buffer, T value) {
    try {
      byte[] json = JSON.writerFor(type).writeValueAsBytes(value);
      buffer.appendInt(json.length).appendBytes(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public T decodeFromWire(int pos, Buffer buffer) {
    int length = buffer.getInt(pos);
    try {
      return JSON.readerFor(type).readValue(buffer.getBytes(pos + 4, pos + 4 + length));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public T transform(T value) {
    return value;
  }

  @Override
  public String name() {
    return "orchestrate-" + type.getName();
  }

  @Override
  public byte systemCodecID() {
    return -1;
  }
}

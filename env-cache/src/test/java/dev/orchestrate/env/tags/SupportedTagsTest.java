package dev.orchestrate.env.tags;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orchestrate.shim.InterpreterInfo;
import dev.orchestrate.shim.InterpreterProbe;
import dev.orchestrate.shim.ShimScript;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Ranking wheels against an interpreter's tags: lower is better, empty is incompatible. */
class SupportedTagsTest {
  @TempDir Path tmp;

  // The head and tail of what CPython 3.11 on glibc 2.36 x86_64 supports, in its order.
  static final List<String> CP311 = List.of(
      "cp311-cp311-manylinux_2_36_x86_64", "cp311-cp311-manylinux_2_17_x86_64",
      "cp311-cp311-manylinux2014_x86_64", "cp311-cp311-manylinux1_x86_64", "cp311-cp311-linux_x86_64",
      "cp311-abi3-manylinux_2_17_x86_64", "cp311-abi3-linux_x86_64",
      "cp311-none-manylinux_2_17_x86_64", "cp311-none-linux_x86_64",
      "cp310-abi3-manylinux_2_17_x86_64", "cp37-abi3-manylinux_2_17_x86_64",
      "py311-none-manylinux_2_17_x86_64", "py3-none-linux_x86_64",
      "cp311-none-any", "py311-none-any", "py3-none-any", "py30-none-any");

  static InterpreterInfo interpreter(List<String> tags, List<Integer> version) {
    return new InterpreterInfo("/usr/bin/python3", "/usr/bin/python3.11", "/usr/bin/python3.11",
        "/usr", "/usr", "3.11.7", version, "cpython", "cpython-311", "cpython-311-x86_64-linux-gnu",
        "linux-x86_64", 64, true, List.of(), Map.of("python_full_version", "3.11.7"), tags);
  }

  private static Optional<Integer> rank(SupportedTags tags, String wheel) {
    return tags.rank(WheelFilename.parse(wheel));
  }

  @Test
  void theMostSpecificMatchingTagRanksAWheel() {
    SupportedTags tags = SupportedTags.supportedTags(interpreter(CP311, List.of(3, 11, 7)));
    assertEquals(CP311.size(), tags.size());
    assertEquals(Optional.of(0), rank(tags, "x-1-cp311-cp311-manylinux_2_36_x86_64.whl"));
    // A compressed platform set ranks by its best member.
    assertEquals(Optional.of(1), rank(tags,
        "numpy-1.26.2-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl"));
    List<String> wheels = List.of("x-1-py3-none-any.whl", "x-1-cp37-abi3-manylinux_2_17_x86_64.whl",
        "x-1-cp311-cp311-linux_x86_64.whl", "x-1-py2.py3-none-any.whl", "x-1-cp311-none-any.whl",
        "x-1-cp311-cp311-manylinux1_x86_64.whl", "x-1-py30-none-any.whl",
        "x-1-cp311-abi3-linux_x86_64.whl");
    List<String> best = wheels.stream()
        .sorted(Comparator.comparing((String w) -> rank(tags, w).orElseThrow())).toList();
    assertEquals(List.of("x-1-cp311-cp311-manylinux1_x86_64.whl", "x-1-cp311-cp311-linux_x86_64.whl",
        "x-1-cp311-abi3-linux_x86_64.whl", "x-1-cp37-abi3-manylinux_2_17_x86_64.whl",
        "x-1-cp311-none-any.whl", "x-1-py3-none-any.whl", "x-1-py2.py3-none-any.whl",
        "x-1-py30-none-any.whl"), best);
    assertEquals(rank(tags, "x-1-py3-none-any.whl"), rank(tags, "x-1-py2.py3-none-any.whl"));
  }

  @Test
  void wheelsForOtherInterpretersOrPlatformsAreIncompatible() {
    SupportedTags tags = SupportedTags.supportedTags(interpreter(CP311, List.of(3, 11, 7)));
    for (String w : List.of("x-1-cp312-cp312-manylinux_2_17_x86_64.whl", "x-1-cp311-cp311-win_amd64.whl",
        "x-1-py2-none-any.whl", "x-1-cp311-cp311-musllinux_1_1_x86_64.whl",
        "x-1-cp311-cp311-manylinux_2_17_aarch64.whl", "x-1-pp310-pypy310_pp73-manylinux_2_17_x86_64.whl",
        "x-1-cp312-abi3-manylinux_2_17_x86_64.whl")) {
      assertEquals(Optional.empty(), rank(tags, w), w);
      assertFalse(tags.isCompatible(WheelFilename.parse(w)), w);
    }
    assertEquals(Optional.of(CP311.size() - 2), tags.rank(Tag.parse("PY3-none-ANY")));
  }

  @Test
  void anInterpreterDescribedWithoutTagsGetsOnlyPurePythonTags() {
    SupportedTags tags = SupportedTags.supportedTags(interpreter(null, List.of(3, 11, 7)));
    assertEquals("cp311-none-any", tags.tags().get(0).toString());
    assertTrue(tags.isCompatible(WheelFilename.parse("x-1-py3-none-any.whl")));
    assertTrue(tags.isCompatible(WheelFilename.parse("x-1-py38-none-any.whl")));
    assertFalse(tags.isCompatible(WheelFilename.parse("x-1-cp311-cp311-linux_x86_64.whl")));
    assertEquals("py30-none-any", tags.tags().get(tags.size() - 1).toString());
  }

  /**
   * The real interpreter, probed through the shim: for a spread of wheel names, our rank orders
   * and compatibility verdicts are pip's (its supported-tag list and its parse_wheel_filename).
   */
  @Test
  void rankingWithTheProbedInterpreterAgreesWithPip() throws Exception {
    Vertx vertx = Vertx.vertx();
    InterpreterInfo info;
    try {
      info = InterpreterProbe.probe(vertx, vertx.createSharedWorkerExecutor("tags-test", 1), "python3",
          ShimScript.materialize(tmp), tmp).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
    SupportedTags tags = SupportedTags.supportedTags(info);
    String first = tags.tags().get(0).toString();
    String abi = first.split("-")[1];
    String platform = first.split("-")[2];
    String py = first.split("-")[0];
    List<String> wheels = new ArrayList<>(List.of("x-1-py3-none-any.whl", "x-1-py2.py3-none-any.whl",
        "x-1-" + py + "-" + abi + "-" + platform + ".whl", "x-1-" + py + "-abi3-" + platform + ".whl",
        "x-1-cp37-abi3-" + platform + ".whl", "x-1-" + py + "-none-any.whl", "x-1-py2-none-any.whl",
        "x-1-cp311-cp311-win_amd64.whl", "x-1-cp39-cp39-macosx_11_0_arm64.whl",
        "x-1-" + py + "-" + abi + "-linux_x86_64.linux_aarch64.whl", "x-1-py30-none-any.whl"));
    String script = """
        import json, sys
        from pip._internal.utils.compatibility_tags import get_supported
        from pip._vendor.packaging.utils import parse_wheel_filename
        supported = [str(t) for t in get_supported()]
        rank = {}
        for i, t in enumerate(supported):
            rank.setdefault(t, i)
        out = {}
        for n in json.load(sys.stdin):
            ranks = [rank[str(t)] for t in parse_wheel_filename(n)[3] if str(t) in rank]
            out[n] = min(ranks) if ranks else None
        print(json.dumps({"supported": supported, "ranks": out}))
        """;
    Map<?, ?> pip = new ObjectMapper().readValue(
        TagsPython.run(script, new ObjectMapper().writeValueAsString(wheels)), Map.class);
    List<String> distinct = new ArrayList<>(new LinkedHashSet<>((List<?>) pip.get("supported")).stream()
        .map(String.class::cast).toList());
    assertEquals(distinct, tags.tags().stream().map(Tag::toString).toList());
    Map<?, ?> ranks = (Map<?, ?>) pip.get("ranks");
    for (String w : wheels) {
      assertEquals(Optional.ofNullable((Integer) ranks.get(w)), rank(tags, w), w);
    }
  }
}

package dev.orchestrate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrate.run.RunOptions;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** --index-url, --extra-index-url (repeatable) and --offline reach the run's options. */
class SourceOptionsTest {

  private static RunOptions parse(String... args) {
    BuildAllCommand command = new BuildAllCommand();
    new CommandLine(command).setCaseInsensitiveEnumValuesAllowed(true).parseArgs(args); // as Main does
    return command.options.toRunOptions(command.root, List.of());
  }

  @Test
  void extraIndexesKeepTheirOrderAndOfflineIsAFlag() {
    RunOptions o = parse("--index-url", "https://a.example/simple/", "--extra-index-url",
        "https://b.example/simple/", "--extra-index-url", "https://u:p@c.example/simple/", "--offline", ".");
    assertEquals(Optional.of("https://a.example/simple/"), o.indexUrl());
    assertEquals(List.of("https://b.example/simple/", "https://u:p@c.example/simple/"), o.extraIndexUrls());
    assertTrue(o.offline());
    assertEquals(Path.of(".").toAbsolutePath().normalize(), o.root());
  }

  @Test
  void byDefaultThereAreNoExtraIndexesAndTheNetworkIsAllowed() {
    RunOptions o = parse(".");
    assertEquals(List.of(), o.extraIndexUrls());
    assertFalse(o.offline());
  }
}

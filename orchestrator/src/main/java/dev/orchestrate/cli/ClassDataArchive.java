package dev.orchestrate.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine;

/**
 * The launcher's class-data archive of this run (ops/bin/orchestrate): the JVM writes it when it
 * exits (-XX:ArchiveClassesAtExit) and a later launch adopts it for every run of the same kind.
 * A run of a subcommand that only printed its help or version, or stopped at a usage or
 * configuration error (exit code 2), loaded a fraction of the classes a real run loads; adopted,
 * its archive would leave every later run to load and verify the rest until the jar is rebuilt.
 * Such a run marks its archive {@code <part>.discard}, and the launcher removes it instead of
 * adopting it.
 */
final class ClassDataArchive {
  /** Set by the launcher on the run that writes an archive: that archive's path. */
  static final String PART_PROPERTY = "orchestrate.cds.part";

  private ClassDataArchive() {}

  static void discardUnlessRepresentative(CommandLine cli, int exitCode) {
    String part = System.getProperty(PART_PROPERTY);
    if (part == null || part.isBlank() || representative(cli, exitCode)) {
      return;
    }
    try {
      Files.writeString(Path.of(part + ".discard"), "");
    } catch (IOException | RuntimeException e) {
      // Best effort: at worst a thin archive is adopted, as before.
    }
  }

  private static boolean representative(CommandLine cli, int exitCode) {
    if (exitCode == 2) {
      return false;
    }
    CommandLine.ParseResult parsed = cli.getParseResult();
    if (parsed == null) {
      return false;
    }
    // The archive is per subcommand (`orchestrate --version` alone has one of its own): a
    // subcommand's --help or --version is not what that subcommand's runs load.
    for (CommandLine.ParseResult p = parsed.subcommand(); p != null; p = p.subcommand()) {
      if (p.isUsageHelpRequested() || p.isVersionHelpRequested()) {
        return false;
      }
    }
    return true;
  }
}

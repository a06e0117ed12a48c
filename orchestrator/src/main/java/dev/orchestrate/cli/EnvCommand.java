package dev.orchestrate.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.orchestrate.env.store.EnvironmentCatalog;
import dev.orchestrate.env.store.Pin;
import dev.orchestrate.shim.Durations;
import java.io.IOException;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code orchestrate env list|show|gc}: the build environments in the cache. */
@Command(name = "env", mixinStandardHelpOptions = true,
    description = "List, inspect and remove cached build environments.",
    subcommands = {EnvCommand.ListCommand.class, EnvCommand.ShowCommand.class,
        EnvCommand.GcCommand.class})
final class EnvCommand implements Runnable {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }

  /** The cache option every env subcommand takes. */
  static final class CacheOption {
    @Option(names = "--cache-dir", paramLabel = "DIR",
        description = "The cache to look in (default: $ORCHESTRATE_CACHE_DIR, else $XDG_CACHE_HOME/orchestrate, else ~/.cache/orchestrate).")
    Path cacheDir;

    Path dir() {
      return (cacheDir == null ? BuildOptions.defaultCacheDir() : cacheDir).toAbsolutePath().normalize();
    }

    EnvironmentCatalog catalog() {
      return new EnvironmentCatalog(dir());
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true,
      description = "Every environment: key, requirements, resolved pins, size, last use.")
  static final class ListCommand implements Callable<Integer> {
    @CommandLine.Mixin
    CacheOption cache = new CacheOption();

    @Option(names = "--json", description = "One JSON document instead of text.")
    boolean json;

    @Override
    public Integer call() throws IOException {
      List<EnvironmentCatalog.Entry> all = cache.catalog().list();
      if (json) {
        System.out.println(JSON.writeValueAsString(all.stream().map(EnvCommand::toJson).toList()));
        return 0;
      }
      if (all.isEmpty()) {
        System.out.println("no environments in " + cache.dir());
      }
      Instant now = Instant.now();
      for (EnvironmentCatalog.Entry e : all) {
        System.out.printf(Locale.ROOT, "%s  last used %s  %s (%s own)%n", e.key(),
            ago(e.lastUsed(), now), bytes(e.size()), bytes(e.ownSize()));
        System.out.println("  requirements: " + (e.requirements().isEmpty() ? "(none)"
            : String.join(", ", e.requirements())));
        System.out.println("  resolved:     " + pins(e));
      }
      return 0;
    }
  }

  @Command(name = "show", mixinStandardHelpOptions = true,
      description = "One environment in full, by key (or a unique prefix), or every environment holding a package.")
  static final class ShowCommand implements Callable<Integer> {
    @Parameters(paramLabel = "KEY|PACKAGE",
        description = "An environment's key (or a unique prefix of it), or the name of a distribution it holds.")
    String query;

    @CommandLine.Mixin
    CacheOption cache = new CacheOption();

    @Option(names = "--json", description = "JSON instead of text.")
    boolean json;

    @Override
    public Integer call() throws IOException {
      List<EnvironmentCatalog.Entry> found = cache.catalog().find(query);
      if (found.isEmpty()) {
        System.err.println("error: no environment has the key or holds the package `" + query + "`");
        return 1;
      }
      if (json) {
        System.out.println(JSON.writeValueAsString(found.stream().map(EnvCommand::toJson).toList()));
        return 0;
      }
      Instant now = Instant.now();
      for (EnvironmentCatalog.Entry e : found) {
        PrintStream out = System.out;
        out.println(e.key());
        out.println("  path:         " + e.path());
        out.println("  interpreter:  " + e.interpreter());
        out.println("  created:      " + e.created().map(Instant::toString).orElse("(unknown)"));
        out.println("  last used:    " + e.lastUsed() + " (" + ago(e.lastUsed(), now) + ")");
        out.println("  size:         " + bytes(e.size()) + " (" + bytes(e.ownSize())
            + " not shared with the wheel store)");
        out.println("  requirements: " + (e.requirements().isEmpty() ? "(none)"
            : String.join(", ", e.requirements())));
        out.println("  resolved:");
        if (e.resolved().isEmpty()) {
          e.installed().forEach((name, version) -> out.println("    " + name + "==" + version));
        }
        for (Pin p : e.resolved()) {
          out.println("    " + p.requirement() + "  " + p.file()
              + p.sha256().map(s -> "  sha256:" + s).orElse("") + "  from " + p.source());
        }
      }
      return 0;
    }
  }

  @Command(name = "gc", mixinStandardHelpOptions = true,
      description = "Remove environments not used for a while, or the least recently used beyond a size; "
          + "never one a running build uses. Always removes what killed builds left behind.")
  static final class GcCommand implements Callable<Integer> {
    @CommandLine.Mixin
    CacheOption cache = new CacheOption();

    @Option(names = "--older-than", paramLabel = "AGE",
        description = "Remove environments last used longer ago than this, e.g. 7d, 12h, 30m (default: no age limit).")
    String olderThan;

    @Option(names = "--max-size", paramLabel = "SIZE",
        description = "Then remove the least recently used until all environments fit in this, e.g. 500M, 2G "
            + "(default: no size limit).")
    String maxSize;

    @Override
    public Integer call() throws IOException {
      Optional<Duration> age;
      OptionalLong size;
      try {
        age = Optional.ofNullable(olderThan).map(EnvCommand::parseAge);
        size = maxSize == null ? OptionalLong.empty() : OptionalLong.of(parseSize(maxSize));
      } catch (IllegalArgumentException e) {
        System.err.println("error: " + e.getMessage());
        return 2;
      }
      EnvironmentCatalog.GcResult result = cache.catalog().gc(age, size, Instant.now());
      for (EnvironmentCatalog.Entry e : result.removed()) {
        System.out.println("removed " + e.key() + "  (" + String.join(", ", e.requirements()) + ")");
      }
      for (EnvironmentCatalog.Entry e : result.inUse()) {
        System.out.println("kept    " + e.key() + "  (in use by a running build)");
      }
      System.out.println("removed " + result.removed().size() + " environment"
          + (result.removed().size() == 1 ? "" : "s") + ", freed " + bytes(result.freed())
          + (result.inUse().isEmpty() ? "" : "; " + result.inUse().size() + " in use kept")
          + (result.leftovers() == 0 ? "" : "; " + result.leftovers() + " leftovers of interrupted builds removed"));
      return 0;
    }
  }

  private static Map<String, Object> toJson(EnvironmentCatalog.Entry e) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("key", e.key());
    json.put("path", e.path().toString());
    json.put("interpreter", e.interpreter());
    json.put("requirements", e.requirements());
    json.put("resolved", e.resolved().stream().map(p -> {
      Map<String, Object> pin = new LinkedHashMap<>();
      pin.put("name", p.name());
      pin.put("version", p.version());
      pin.put("file", p.file());
      p.sha256().ifPresent(s -> pin.put("sha256", s));
      pin.put("source", p.source());
      return pin;
    }).toList());
    json.put("installed", e.installed());
    json.put("created", e.created().map(Instant::toString).orElse(null));
    json.put("lastUsed", e.lastUsed().toString());
    json.put("size", e.size());
    json.put("ownSize", e.ownSize());
    return json;
  }

  private static String pins(EnvironmentCatalog.Entry e) {
    if (!e.resolved().isEmpty()) {
      return e.resolved().stream().map(p -> p.name() + " " + p.version()).collect(Collectors.joining(", "));
    }
    return e.installed().isEmpty() ? "(nothing)" : e.installed().entrySet().stream()
        .map(x -> x.getKey() + " " + x.getValue()).collect(Collectors.joining(", "));
  }

  private static final Pattern DAYS = Pattern.compile("(?i)(\\d+)d(.*)");
  // A number, then nothing or B (bytes), or K/M/G/T optionally followed by B or iB.
  private static final Pattern SIZE = Pattern.compile("(?i)(\\d+(?:\\.\\d+)?)\\s*(?:([kmgt])(?:i?b)?|b)?");

  /** {@code 7d}, {@code 1d12h}, {@code 30m}, {@code 0s}: an age. */
  static Duration parseAge(String text) {
    String s = text.strip();
    if (s.equals("0") || s.equalsIgnoreCase("0s")) {
      return Duration.ZERO;
    }
    // A bare number is ambiguous for an age (7 days? 7 seconds would remove almost everything).
    if (s.matches("\\d+(\\.\\d+)?")) {
      throw new IllegalArgumentException("--older-than: `" + text + "` has no unit: write " + s
          + "d for days, " + s + "h for hours or " + s + "m for minutes");
    }
    try {
      Matcher m = DAYS.matcher(s);
      if (m.matches()) {
        Duration days = Duration.ofDays(Long.parseLong(m.group(1)));
        return m.group(2).isEmpty() ? days : days.plus(Durations.parse(m.group(2)));
      }
      return Durations.parse(s);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--older-than: invalid age `" + text + "`: expected e.g. 7d, 12h, 30m");
    }
  }

  /**
   * {@code 500M}, {@code 2G}, {@code 1.5GiB}, {@code 100kB}, {@code 4096}, {@code 4096B}, {@code 0}:
   * bytes. Units are powers of 1024; a number without a unit is a count of bytes.
   */
  static long parseSize(String text) {
    Matcher m = SIZE.matcher(text.strip());
    if (!m.matches()) {
      throw new IllegalArgumentException("--max-size: invalid size `" + text
          + "`: expected bytes (e.g. 1048576) or a number with a unit K, M, G or T (e.g. 500M, 2G)");
    }
    // No unit means bytes (a unit-less count once came out 1024 times too big).
    int power = m.group(2) == null ? 0 : "kmgt".indexOf(m.group(2).toLowerCase(Locale.ROOT)) + 1;
    BigDecimal bytes = new BigDecimal(m.group(1))
        .multiply(BigDecimal.valueOf(1024).pow(power));
    if (bytes.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
      throw new IllegalArgumentException("--max-size: `" + text + "` is larger than any cache can be");
    }
    return bytes.setScale(0, RoundingMode.FLOOR).longValueExact();
  }

  static String bytes(long n) {
    if (n < 1024) {
      return n + " B";
    }
    String[] units = {"KiB", "MiB", "GiB", "TiB"};
    double v = n;
    int u = -1;
    while (v >= 1024 && u < units.length - 1) {
      v /= 1024;
      u++;
    }
    return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
  }

  static String ago(Instant then, Instant now) {
    Duration d = Duration.between(then, now);
    if (d.isNegative() || d.toSeconds() < 60) {
      return "just now";
    }
    if (d.toMinutes() < 60) {
      return d.toMinutes() + "m ago";
    }
    if (d.toHours() < 48) {
      return d.toHours() + "h ago";
    }
    return d.toDays() + "d ago";
  }
}

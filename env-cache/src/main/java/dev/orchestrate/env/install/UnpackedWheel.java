package dev.orchestrate.env.install;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orchestrate.env.archive.SafeExtractor;
import dev.orchestrate.env.pep508.PackageName;
import dev.orchestrate.env.store.EnvironmentException;
import dev.orchestrate.env.store.StoreBucket;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A wheel unpacked once into the store ({@code unpacked-v1/<sha256>/tree/}) with what installing
 * it needs, checked when it was unpacked and kept in {@code wheel.json} beside the tree: its
 * {@code .dist-info} and {@code .data} directories, {@code Root-Is-Purelib}, every file with its
 * sha256 (verified against the wheel's RECORD) and its entry points.
 *
 * @param files every regular file and symlink of the tree, relative, with {@code /}
 */
public record UnpackedWheel(
    @JsonIgnore Path tree,
    @JsonProperty("name") String name,
    @JsonProperty("version") String version,
    @JsonProperty("distInfo") String distInfo,
    @JsonProperty("dataDir") String dataDir,
    @JsonProperty("rootIsPurelib") boolean rootIsPurelib,
    @JsonProperty("files") List<FileEntry> files,
    @JsonProperty("consoleScripts") Map<String, String> consoleScripts,
    @JsonProperty("guiScripts") Map<String, String> guiScripts) {

  static final String MANIFEST = "wheel.json";
  static final String TREE = "tree";
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Hash algorithms RECORD may use that are checked (the wheel spec forbids md5 and sha1). */
  private static final Set<String> CHECKED_HASHES = Set.of("sha256", "sha384", "sha512");

  public UnpackedWheel {
    files = List.copyOf(files);
    consoleScripts = Map.copyOf(consoleScripts);
    guiScripts = Map.copyOf(guiScripts);
  }

  /**
   * One file of the wheel.
   *
   * @param hash {@code sha256=<urlsafe base64>}, as RECORD writes it
   * @param symlink true for a symbolic link (kept as one, never followed)
   * @param modified its modification time when the entry was made, in nanoseconds since the
   *     epoch (0: not recorded, in entries made before times were)
   */
  public record FileEntry(@JsonProperty("path") String path, @JsonProperty("hash") String hash,
      @JsonProperty("size") long size, @JsonProperty("symlink") boolean symlink,
      @JsonProperty("modified") long modified) {}

  /**
   * The unpacked form of {@code wheel} (whose content has {@code sha256}), made now if the store
   * does not hold it yet.
   *
   * @throws EnvironmentException the wheel is unsafe (paths escaping its root, links out of it)
   *     or broken (no dist-info, a file that does not match RECORD); nothing is left behind
   */
  static UnpackedWheel of(StoreBucket bucket, Path wheel, String sha256, String project,
      Path log) throws IOException, InterruptedException {
    StoreBucket.Read<UnpackedWheel> got;
    try {
      got = bucket.get(sha256, staging -> unpack(wheel, project, staging), UnpackedWheel::load,
          (entry, unpacked) -> unpacked.whole());
    } catch (dev.orchestrate.env.archive.ArchiveException e) {
      throw new EnvironmentException("cannot install " + wheel.getFileName() + ": " + e.getMessage(), null);
    }
    StoreFiles.noteReplaced(got.entry(), log);
    return got.value();
  }

  /** The dist-info files whose content is checked each time an entry is used (they are small). */
  private static final Set<String> CHECKED_METADATA = Set.of("METADATA", "RECORD", "WHEEL",
      "entry_points.txt");

  /**
   * Whether an unpacked entry is as it was made: its manifest readable, every file there as
   * {@link StoreFiles#whole} checks it, and the metadata files with their hash too.
   */
  @JsonIgnore
  boolean whole() throws IOException {
    String distInfo = distInfo() + "/";
    return StoreFiles.whole(tree(), files(), path -> path.startsWith(distInfo)
        && CHECKED_METADATA.contains(path.substring(distInfo.length())));
  }

  static UnpackedWheel load(Path entry) throws IOException {
    UnpackedWheel read = JSON.readValue(entry.resolve(MANIFEST).toFile(), UnpackedWheel.class);
    return new UnpackedWheel(entry.resolve(TREE), read.name, read.version, read.distInfo,
        read.dataDir, read.rootIsPurelib, read.files, read.consoleScripts, read.guiScripts);
  }

  private static void unpack(Path wheel, String project, Path staging) throws IOException {
    Path tree = staging.resolve(TREE);
    SafeExtractor.extract(wheel, tree);
    String label = wheel.getFileName().toString();
    String distInfo = findDistInfo(tree, project, label);
    Map<String, String> wheelFile = headers(tree.resolve(distInfo).resolve("WHEEL"), label);
    String wheelVersion = wheelFile.getOrDefault("wheel-version", "");
    if (!wheelVersion.startsWith("1.")) {
      throw broken(label, "Wheel-Version `" + wheelVersion + "` in " + distInfo
          + "/WHEEL is not one this installer knows (1.x)");
    }
    boolean purelib = wheelFile.getOrDefault("root-is-purelib", "true").equalsIgnoreCase("true");
    Map<String, String> record = record(tree.resolve(distInfo).resolve("RECORD"), label, distInfo);
    List<FileEntry> files = StoreFiles.record(tree);
    for (FileEntry f : files) {
      String promised = record.get(f.path());
      if (!f.symlink() && promised != null && !promised.isEmpty() && !isRecord(f.path(), distInfo)) {
        int eq = promised.indexOf('=');
        String algorithm = eq < 0 ? "" : promised.substring(0, eq).toLowerCase(Locale.ROOT);
        String actual = algorithm.equals("sha256") ? f.hash()
            : CHECKED_HASHES.contains(algorithm) ? hash(tree.resolve(f.path()), algorithm) : null;
        if (actual != null && !actual.equals(promised)) {
          throw broken(label, "`" + f.path() + "` does not match its hash in RECORD (" + promised
              + ", found " + actual + ")");
        }
      }
    }
    String stem = distInfo.substring(0, distInfo.length() - ".dist-info".length());
    String name = stem.substring(0, stem.lastIndexOf('-'));
    String version = stem.substring(name.length() + 1);
    Path entryPoints = tree.resolve(distInfo).resolve("entry_points.txt");
    Map<String, Map<String, String>> sections = Files.isRegularFile(entryPoints)
        ? EntryPoints.parse(Files.readString(entryPoints, StandardCharsets.UTF_8)) : Map.of();
    UnpackedWheel manifest = new UnpackedWheel(tree, name, version, distInfo,
        name + "-" + version + ".data", purelib, files,
        sections.getOrDefault("console_scripts", Map.of()),
        sections.getOrDefault("gui_scripts", Map.of()));
    JSON.writeValue(staging.resolve(MANIFEST).toFile(), manifest);
  }


  static boolean isRecord(String rel, String distInfo) {
    return rel.equals(distInfo + "/RECORD") || rel.equals(distInfo + "/RECORD.jws")
        || rel.equals(distInfo + "/RECORD.p7s");
  }

  /** {@code name-version.dist-info} at the top of the tree, for the project. */
  private static String findDistInfo(Path tree, String project, String label) throws IOException {
    List<String> found = new ArrayList<>();
    try (Stream<Path> top = Files.list(tree)) {
      top.map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(".dist-info")
              && Files.isDirectory(tree.resolve(n), LinkOption.NOFOLLOW_LINKS))
          .forEach(found::add);
    }
    String wanted = PackageName.normalize(project);
    for (String dir : found) {
      String stem = dir.substring(0, dir.length() - ".dist-info".length());
      int dash = stem.lastIndexOf('-');
      if (dash > 0 && PackageName.normalize(stem.substring(0, dash)).equals(wanted)) {
        if (!Files.isRegularFile(tree.resolve(dir).resolve("METADATA"))) {
          throw broken(label, dir + " has no METADATA");
        }
        return dir;
      }
    }
    throw broken(label, found.isEmpty() ? "it has no .dist-info directory"
        : "none of its .dist-info directories is `" + wanted + "`'s: " + String.join(", ", found));
  }

  /** The {@code Key: value} lines of the WHEEL file, keys lower-cased. */
  private static Map<String, String> headers(Path file, String label) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw broken(label, "it has no " + file.getParent().getFileName() + "/WHEEL file");
    }
    Map<String, String> out = new HashMap<>();
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      int colon = line.indexOf(':');
      if (colon > 0) {
        out.putIfAbsent(line.substring(0, colon).strip().toLowerCase(Locale.ROOT),
            line.substring(colon + 1).strip());
      }
    }
    return out;
  }

  /** RECORD's rows: path to hash. */
  private static Map<String, String> record(Path file, String label, String distInfo)
      throws IOException {
    if (!Files.isRegularFile(file)) {
      throw broken(label, "it has no " + distInfo + "/RECORD");
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (List<String> row : Csv.parse(Files.readString(file, StandardCharsets.UTF_8))) {
      if (!row.isEmpty() && !row.get(0).isEmpty()) {
        out.put(row.get(0), row.size() > 1 ? row.get(1) : "");
      }
    }
    return out;
  }

  /** {@code algorithm=<urlsafe base64, no padding>} of a file, as RECORD writes hashes. */
  static String hash(Path file, String algorithm) throws IOException {
    MessageDigest digest = digest(algorithm);
    try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
      in.transferTo(java.io.OutputStream.nullOutputStream());
    }
    return algorithm + "=" + Base64.getUrlEncoder().withoutPadding().encodeToString(digest.digest());
  }

  /** {@code sha256=<urlsafe base64, no padding>} of bytes. */
  static String hash(byte[] content) {
    return "sha256=" + Base64.getUrlEncoder().withoutPadding()
        .encodeToString(digest("sha256").digest(content));
  }

  private static MessageDigest digest(String algorithm) {
    try {
      return MessageDigest.getInstance(switch (algorithm) {
        case "sha384" -> "SHA-384";
        case "sha512" -> "SHA-512";
        default -> "SHA-256";
      });
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static EnvironmentException broken(String wheel, String why) {
    return new EnvironmentException("cannot install " + wheel + ": " + why, null);
  }

  /** The normalised project name. */
  @JsonIgnore
  public String project() {
    return PackageName.normalize(name);
  }
}

package dev.orchestrate.env.install;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Builds real wheels for tests: a package whose {@code __init__.py} knows its version, METADATA
 * with whatever {@code Requires-Dist}, {@code Requires-Python} and extras a test needs, entry
 * points, {@code .data} files, and a correct RECORD (unless a test wants it wrong).
 */
public final class TestWheel {
  private final String name;
  private final String version;
  private String tag = "py3-none-any";
  private String requiresPython = "";
  private final List<String> requires = new ArrayList<>();
  private final List<String> extras = new ArrayList<>();
  private final Map<String, String> consoleScripts = new LinkedHashMap<>();
  private final Map<String, String> guiScripts = new LinkedHashMap<>();
  private final Map<String, byte[]> extra = new LinkedHashMap<>();
  private final Map<String, byte[]> unrecorded = new LinkedHashMap<>();
  private boolean badHash;

  private TestWheel(String name, String version) {
    this.name = name;
    this.version = version;
  }

  public static TestWheel of(String name, String version) {
    return new TestWheel(name, version);
  }

  public TestWheel requires(String... requirements) {
    requires.addAll(List.of(requirements));
    return this;
  }

  public TestWheel requiresPython(String spec) {
    this.requiresPython = spec;
    return this;
  }

  public TestWheel providesExtra(String extraName) {
    extras.add(extraName);
    return this;
  }

  public TestWheel tag(String wheelTag) {
    this.tag = wheelTag;
    return this;
  }

  public TestWheel consoleScript(String script, String reference) {
    consoleScripts.put(script, reference);
    return this;
  }

  public TestWheel guiScript(String script, String reference) {
    guiScripts.put(script, reference);
    return this;
  }

  /** Any file, at a path relative to the wheel's root (may be inside {@code .data}). */
  public TestWheel file(String path, String content) {
    extra.put(path, content.getBytes(StandardCharsets.UTF_8));
    return this;
  }

  /** A zip entry that RECORD does not list (such as {@code ../escape.txt}). */
  public TestWheel rawEntry(String path, String content) {
    unrecorded.put(path, content.getBytes(StandardCharsets.UTF_8));
    return this;
  }

  /** RECORD lies about the module's hash. */
  public TestWheel badHash() {
    badHash = true;
    return this;
  }

  public String escaped() {
    return name.replaceAll("[-_.]+", "_");
  }

  public String module() {
    return escaped().toLowerCase();
  }

  public String dataDir() {
    return escaped() + "-" + version + ".data";
  }

  public String filename() {
    return escaped() + "-" + version + "-" + tag + ".whl";
  }

  /** Writes the wheel into {@code dir} and returns its path. */
  public Path writeTo(Path dir) throws IOException {
    String distInfo = escaped() + "-" + version + ".dist-info";
    Map<String, byte[]> files = new LinkedHashMap<>();
    files.put(module() + "/__init__.py", ("VERSION = '" + version + "'\n\ndef main():\n"
        + "    print('" + name + " " + version + " main')\n    return 0\n").getBytes(StandardCharsets.UTF_8));
    files.putAll(extra);
    StringBuilder md = new StringBuilder("Metadata-Version: 2.1\nName: " + name + "\nVersion: "
        + version + "\n");
    if (!requiresPython.isEmpty()) {
      md.append("Requires-Python: ").append(requiresPython).append('\n');
    }
    extras.forEach(e -> md.append("Provides-Extra: ").append(e).append('\n'));
    requires.forEach(r -> md.append("Requires-Dist: ").append(r).append('\n'));
    md.append("\nA test wheel.\n");
    files.put(distInfo + "/METADATA", md.toString().getBytes(StandardCharsets.UTF_8));
    files.put(distInfo + "/WHEEL", ("Wheel-Version: 1.0\nGenerator: orchestrate-tests\n"
        + "Root-Is-Purelib: true\nTag: " + tag + "\n").getBytes(StandardCharsets.UTF_8));
    if (!consoleScripts.isEmpty() || !guiScripts.isEmpty()) {
      StringBuilder ep = new StringBuilder("[console_scripts]\n");
      consoleScripts.forEach((k, v) -> ep.append(k).append(" = ").append(v).append('\n'));
      ep.append("\n[gui_scripts]\n");
      guiScripts.forEach((k, v) -> ep.append(k).append(" = ").append(v).append('\n'));
      files.put(distInfo + "/entry_points.txt", ep.toString().getBytes(StandardCharsets.UTF_8));
    }
    StringBuilder record = new StringBuilder();
    for (Map.Entry<String, byte[]> e : files.entrySet()) {
      byte[] hashed = badHash && e.getKey().endsWith("__init__.py") ? new byte[] {1} : e.getValue();
      record.append(e.getKey()).append(",sha256=").append(b64(hashed)).append(',')
          .append(e.getValue().length).append('\n');
    }
    record.append(distInfo).append("/RECORD,,\n");
    files.put(distInfo + "/RECORD", record.toString().getBytes(StandardCharsets.UTF_8));
    files.putAll(unrecorded);
    Files.createDirectories(dir);
    Path out = dir.resolve(filename());
    try (OutputStream os = Files.newOutputStream(out); ZipOutputStream zip = new ZipOutputStream(os)) {
      for (Map.Entry<String, byte[]> e : files.entrySet()) {
        zip.putNextEntry(new ZipEntry(e.getKey()));
        zip.write(e.getValue());
        zip.closeEntry();
      }
    }
    return out;
  }

  static String b64(byte[] content) {
    try {
      return Base64.getUrlEncoder().withoutPadding()
          .encodeToString(MessageDigest.getInstance("SHA-256").digest(content));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}

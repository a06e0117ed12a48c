package dev.orchestrate.env.index;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Real wheels for tests: a zip with a module and {@code name-version.dist-info/{METADATA,WHEEL,RECORD}}. */
final class TestWheels {
  private TestWheels() {}

  /** The METADATA a test wheel carries. */
  static String metadata(String name, String version, String requiresPython, String... requiresDist) {
    StringBuilder sb = new StringBuilder("Metadata-Version: 2.1\nName: " + name + "\nVersion: " + version + "\n");
    if (!requiresPython.isEmpty()) {
      sb.append("Requires-Python: ").append(requiresPython).append('\n');
    }
    for (String r : requiresDist) {
      sb.append("Requires-Dist: ").append(r).append('\n');
    }
    return sb.toString();
  }

  /** Writes {@code dir/name-version-tag.whl} and returns its bytes. */
  static byte[] wheel(Path dir, String name, String version, String tag, String metadata) throws IOException {
    String escaped = name.replaceAll("[-_.]+", "_");
    String distInfo = escaped + "-" + version + ".dist-info";
    String module = escaped.toLowerCase();
    Map<String, byte[]> files = new LinkedHashMap<>();
    files.put(module + "/__init__.py", ("VERSION = '" + version + "'\n").getBytes(StandardCharsets.UTF_8));
    files.put(distInfo + "/METADATA", metadata.getBytes(StandardCharsets.UTF_8));
    files.put(distInfo + "/WHEEL", ("Wheel-Version: 1.0\nGenerator: orchestrate-tests\nRoot-Is-Purelib: true\nTag: "
        + tag + "\n").getBytes(StandardCharsets.UTF_8));
    StringBuilder record = new StringBuilder();
    for (Map.Entry<String, byte[]> e : files.entrySet()) {
      record.append(e.getKey()).append(",sha256=")
          .append(Base64.getUrlEncoder().withoutPadding().encodeToString(digest(e.getValue())))
          .append(',').append(e.getValue().length).append('\n');
    }
    record.append(distInfo).append("/RECORD,,\n");
    files.put(distInfo + "/RECORD", record.toString().getBytes(StandardCharsets.UTF_8));
    Path out = dir.resolve(escaped + "-" + version + "-" + tag + ".whl");
    Files.createDirectories(dir);
    try (OutputStream os = Files.newOutputStream(out); ZipOutputStream zip = new ZipOutputStream(os)) {
      for (Map.Entry<String, byte[]> e : files.entrySet()) {
        zip.putNextEntry(new ZipEntry(e.getKey()));
        zip.write(e.getValue());
        zip.closeEntry();
      }
    }
    return Files.readAllBytes(out);
  }

  static byte[] digest(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static String sha256(byte[] bytes) {
    return HexFormat.of().formatHex(digest(bytes));
  }
}

package dev.orchestrate.env.install;

import dev.orchestrate.env.store.EnvironmentException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Installs unpacked wheels into one environment, as the wheel specification (binary
 * distribution format) says: the root into site-packages ({@code purelib} and {@code platlib}
 * are one directory in a virtual environment), {@code .data/<scheme>/} into the scheme's
 * directory, {@code #!python} scripts rewritten for the environment's interpreter, console and
 * GUI entry points written as scripts, {@code INSTALLER}, {@code REQUESTED},
 * {@code direct_url.json} (PEP 610) and a new {@code RECORD}.
 *
 * <p>Files are hard links to the store (a copy, times kept, when the file system refuses links);
 * files this installer writes are always new files, never written through a link. Scripts name
 * the environment's final path (it is built in a staging directory, then renamed). A destination
 * outside the environment is refused.
 */
final class WheelInstaller {
  private final Path root;
  private final Path finalRoot;
  private final Path sitePackages;
  private final Path bin;
  private final String pythonVersion;
  private boolean linksWork = true;
  private int linked;
  private int copied;

  /**
   * @param root the environment being built (staging)
   * @param finalRoot where it will live once renamed
   * @param sitePackages its site-packages directory (under {@code root})
   * @param pythonVersion {@code 3.11}, for the headers directory
   */
  WheelInstaller(Path root, Path finalRoot, Path sitePackages, String pythonVersion) {
    this.root = root.toAbsolutePath().normalize();
    this.finalRoot = finalRoot.toAbsolutePath().normalize();
    this.sitePackages = sitePackages.toAbsolutePath().normalize();
    this.bin = this.root.resolve("bin");
    this.pythonVersion = pythonVersion;
  }

  /** How a distribution was asked for: by a root requirement, and by a direct URL. */
  record Request(boolean requested, Optional<String> directUrl, Optional<String> sha256) {}

  /** Files linked from the store, and files copied because linking failed. */
  int linked() {
    return linked;
  }

  int copied() {
    return copied;
  }

  /**
   * Where each file of the wheel's tree that belongs in site-packages goes: site-packages path
   * to tree path (the root, and {@code .data/purelib|platlib}).
   */
  static Map<String, String> sitePackagesFiles(UnpackedWheel wheel) {
    Map<String, String> out = new TreeMap<>();
    String data = wheel.dataDir() + "/";
    for (UnpackedWheel.FileEntry f : wheel.files()) {
      if (f.path().startsWith(data)) {
        String rest = f.path().substring(data.length());
        int slash = rest.indexOf('/');
        String scheme = slash < 0 ? "" : rest.substring(0, slash);
        if (scheme.equals("purelib") || scheme.equals("platlib")) {
          out.put(rest.substring(slash + 1), f.path());
        }
      } else {
        out.put(f.path(), f.path());
      }
    }
    return out;
  }

  /** Installs one wheel; returns the number of files it put in the environment. */
  int install(UnpackedWheel wheel, Bytecode bytecode, Request request) throws IOException {
    Map<String, String[]> record = new LinkedHashMap<>();
    String data = wheel.dataDir() + "/";
    String distInfo = wheel.distInfo() + "/";
    for (UnpackedWheel.FileEntry f : wheel.files()) {
      String path = f.path();
      if (UnpackedWheel.isRecord(path, wheel.distInfo()) || path.equals(distInfo + "INSTALLER")
          || path.equals(distInfo + "REQUESTED") || path.equals(distInfo + "direct_url.json")) {
        continue; // written below, for this installation
      }
      Path src = wheel.tree().resolve(path);
      Path dest;
      if (path.startsWith(data)) {
        String rest = path.substring(data.length());
        int slash = rest.indexOf('/');
        if (slash <= 0 || slash == rest.length() - 1) {
          throw refuse(wheel, path, "is not inside a scheme directory of " + wheel.dataDir());
        }
        String scheme = rest.substring(0, slash);
        String sub = rest.substring(slash + 1);
        switch (scheme) {
          case "purelib", "platlib" -> dest = inside(wheel, path, sitePackages, sub);
          case "headers" -> dest = inside(wheel, path, root.resolve("include").resolve("site")
              .resolve("python" + pythonVersion).resolve(wheel.name()), sub);
          case "data" -> dest = inside(wheel, path, root, sub);
          case "scripts" -> {
            dest = inside(wheel, path, bin, sub);
            byte[] content = script(Files.readAllBytes(src));
            writeNew(dest, content, true);
            record.put(relative(dest), new String[] {UnpackedWheel.hash(content),
                Long.toString(content.length)});
            continue;
          }
          default -> throw refuse(wheel, path, "names the unknown scheme `" + scheme + "`");
        }
      } else {
        dest = inside(wheel, path, sitePackages, path);
      }
      place(src, dest, f.symlink());
      record.put(relative(dest), new String[] {f.hash(), f.symlink() ? "" : Long.toString(f.size())});
    }
    for (UnpackedWheel.FileEntry pyc : bytecode.files()) {
      Path dest = inside(wheel, pyc.path(), sitePackages, pyc.path());
      place(bytecode.tree().resolve(pyc.path()), dest, false);
      record.put(relative(dest), new String[] {pyc.hash(), Long.toString(pyc.size())});
    }
    Map<String, String> scripts = new TreeMap<>(wheel.consoleScripts());
    scripts.putAll(wheel.guiScripts());
    String python = finalRoot.resolve("bin").resolve("python").toString();
    for (Map.Entry<String, String> e : scripts.entrySet()) {
      if (!EntryPoints.isSafeName(e.getKey())) {
        throw refuse(wheel, "entry point `" + e.getKey() + "`", "is not a plain script name");
      }
      byte[] content;
      try {
        content = EntryPoints.script(e.getValue(), python);
      } catch (IllegalArgumentException bad) {
        throw new EnvironmentException("cannot install " + wheel.name() + " " + wheel.version()
            + ": the entry point `" + e.getKey() + " = " + e.getValue() + "` " + bad.getMessage(), null);
      }
      Path dest = bin.resolve(e.getKey());
      if (Files.isSymbolicLink(dest)) {
        throw refuse(wheel, "entry point `" + e.getKey() + "`", "would replace the interpreter");
      }
      writeNew(dest, content, true);
      record.put(relative(dest), new String[] {UnpackedWheel.hash(content), Long.toString(content.length)});
    }
    Path info = sitePackages.resolve(wheel.distInfo());
    metadataFile(record, info.resolve("INSTALLER"), "orchestrate\n".getBytes(StandardCharsets.UTF_8));
    if (request.requested()) {
      metadataFile(record, info.resolve("REQUESTED"), new byte[0]);
    }
    if (request.directUrl().isPresent()) {
      String hash = request.sha256().map(h -> ", \"archive_info\": {\"hash\": \"sha256=" + h
          + "\", \"hashes\": {\"sha256\": \"" + h + "\"}}").orElse(", \"archive_info\": {}");
      String json = "{\"url\": \"" + request.directUrl().get().replace("\\", "\\\\").replace("\"", "\\\"")
          + "\"" + hash + "}\n";
      metadataFile(record, info.resolve("direct_url.json"), json.getBytes(StandardCharsets.UTF_8));
    }
    StringBuilder csv = new StringBuilder();
    record.forEach((path, hs) -> csv.append(Csv.row(path, hs[0], hs[1])));
    csv.append(Csv.row(relative(info.resolve("RECORD")), "", ""));
    writeNew(info.resolve("RECORD"), csv.toString().getBytes(StandardCharsets.UTF_8), false);
    return record.size() + 1;
  }

  private void metadataFile(Map<String, String[]> record, Path file, byte[] content) throws IOException {
    writeNew(file, content, false);
    record.put(relative(file), new String[] {UnpackedWheel.hash(content), Long.toString(content.length)});
  }

  /** A first line starting {@code #!python} (or {@code #!pythonw}) becomes the interpreter's, as pip does. */
  private byte[] script(byte[] content) {
    if (!startsWith(content, "#!python".getBytes(StandardCharsets.US_ASCII))) {
      return content;
    }
    int eol = indexOf(content, (byte) '\n');
    byte[] head = EntryPoints.shebang(finalRoot.resolve("bin").resolve("python").toString())
        .getBytes(StandardCharsets.UTF_8);
    int tailStart = eol < 0 ? content.length : eol + 1;
    byte[] out = new byte[head.length + content.length - tailStart];
    System.arraycopy(head, 0, out, 0, head.length);
    System.arraycopy(content, tailStart, out, head.length, content.length - tailStart);
    return out;
  }

  private static boolean startsWith(byte[] content, byte[] prefix) {
    if (content.length < prefix.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if (content[i] != prefix[i]) {
        return false;
      }
    }
    return true;
  }

  private static int indexOf(byte[] content, byte b) {
    for (int i = 0; i < content.length; i++) {
      if (content[i] == b) {
        return i;
      }
    }
    return -1;
  }

  /** {@code base/sub}, refused unless it stays inside {@code base} (and so the environment). */
  private Path inside(UnpackedWheel wheel, String entry, Path base, String sub) {
    Path dest = base.resolve(sub).normalize();
    if (!dest.startsWith(base) || dest.equals(base) || !dest.startsWith(root)) {
      throw refuse(wheel, entry, "would be installed outside the environment (" + dest + ")");
    }
    return dest;
  }

  private static EnvironmentException refuse(UnpackedWheel wheel, String entry, String why) {
    return new EnvironmentException("refusing to install " + wheel.name() + " " + wheel.version()
        + ": `" + entry + "` " + why, null);
  }

  /** A hard link to {@code src} at {@code dest} (a copy with its times when links fail). */
  private void place(Path src, Path dest, boolean symlink) throws IOException {
    Files.createDirectories(dest.getParent());
    if (Files.exists(dest, LinkOption.NOFOLLOW_LINKS)) {
      Files.delete(dest); // another wheel's file: the later one wins, as with pip
    }
    if (symlink) {
      Files.createSymbolicLink(dest, Files.readSymbolicLink(src));
      return;
    }
    if (linksWork) {
      try {
        Files.createLink(dest, src);
        linked++;
        return;
      } catch (FileAlreadyExistsException e) {
        throw e;
      } catch (IOException | UnsupportedOperationException e) {
        linksWork = false; // another file system, or one without hard links: copy from now on
      }
    }
    Files.copy(src, dest, StandardCopyOption.COPY_ATTRIBUTES);
    copied++;
  }

  /** Writes a new file (replacing, never writing through, whatever was there). */
  private static void writeNew(Path dest, byte[] content, boolean executable) throws IOException {
    Files.createDirectories(dest.getParent());
    Files.deleteIfExists(dest);
    Files.write(dest, content);
    Files.setPosixFilePermissions(dest, PosixFilePermissions.fromString(
        executable ? "rwxr-xr-x" : "rw-r--r--"));
  }

  /** A path as RECORD gives it: relative to site-packages, with {@code /}. */
  private String relative(Path installed) {
    return sitePackages.relativize(installed).toString().replace('\\', '/');
  }
}

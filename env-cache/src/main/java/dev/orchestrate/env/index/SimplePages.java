package dev.orchestrate.env.index;

import dev.orchestrate.env.tags.SdistFilename;
import dev.orchestrate.env.tags.WheelFilename;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reading a project page of a simple index: PEP 503 HTML (anchors with {@code data-*} attributes)
 * and PEP 691 JSON. Both give the same {@link DistributionFile}s: absolute URLs without fragment
 * or credentials, sha256 from {@code #sha256=} or {@code hashes}, PEP 592 yanking, PEP 658/714
 * metadata. Files whose names are not a wheel or sdist of the project are left out.
 */
final class SimplePages {
  static final String JSON_TYPE = "application/vnd.pypi.simple.v1+json";
  static final String HTML_TYPE = "application/vnd.pypi.simple.v1+html";
  static final String ACCEPT = JSON_TYPE + ", " + HTML_TYPE + ";q=0.2, text/html;q=0.01";

  private static final Pattern COMMENT = Pattern.compile("<!--.*?-->", Pattern.DOTALL);
  // Quoted attribute values may hold '>' (an unescaped data-requires-python=">=3.8").
  private static final Pattern TAG = Pattern.compile("<(a|base|meta)\\b((?:[^>\"']|\"[^\"]*\"|'[^']*')*)>",
      Pattern.CASE_INSENSITIVE);
  private static final Pattern ATTRIBUTE = Pattern.compile(
      "([^\\s=/>\"']+)(?:\\s*=\\s*(?:\"([^\"]*)\"|'([^']*)'|([^\\s>\"']+)))?");
  private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

  private SimplePages() {}

  /** One link as a page lists it, before it is checked against the project. */
  record Link(String url, Optional<String> filename, Optional<String> sha256, Optional<String> requiresPython,
      Optional<String> yanked, Optional<String> metadataSha256) {}

  /** Parses an HTML page fetched from {@code pageUrl} (credentials already removed). */
  static List<DistributionFile> html(String body, String pageUrl, String project, String source) {
    String text = COMMENT.matcher(body).replaceAll("");
    String base = pageUrl;
    List<Map<String, String>> anchors = new ArrayList<>();
    Matcher m = TAG.matcher(text);
    while (m.find()) {
      String tag = m.group(1).toLowerCase(Locale.ROOT);
      Map<String, String> attrs = attributes(m.group(2) == null ? "" : m.group(2));
      if (tag.equals("base") && attrs.containsKey("href") && base.equals(pageUrl)) {
        try {
          base = IndexUrls.resolve(pageUrl, attrs.get("href"));
        } catch (IllegalArgumentException e) {
          base = pageUrl; // an unusable base is ignored, as browsers do
        }
      } else if (tag.equals("meta") && "pypi:repository-version".equals(attrs.get("name"))) {
        checkApiVersion(attrs.getOrDefault("content", "1.0"), project, source);
      } else if (tag.equals("a") && attrs.containsKey("href")) {
        anchors.add(attrs);
      }
    }
    List<Link> links = new ArrayList<>();
    for (Map<String, String> a : anchors) {
      Optional<String> resolved = resolve(base, a.get("href"));
      if (resolved.isEmpty()) {
        continue;
      }
      String href = resolved.get();
      Optional<String> sha256 = fragmentHash(IndexUrls.fragment(href));
      Optional<String> metadata = Optional.ofNullable(a.get("data-core-metadata"))
          .or(() -> Optional.ofNullable(a.get("data-dist-info-metadata")))
          .flatMap(SimplePages::metadataAttribute);
      links.add(new Link(href, Optional.empty(), sha256, nonBlank(a.get("data-requires-python")),
          Optional.ofNullable(a.get("data-yanked")), metadata));
    }
    return files(links, project, source);
  }

  /** Parses a PEP 691 JSON page fetched from {@code pageUrl}. */
  static List<DistributionFile> json(String body, String pageUrl, String project, String source) {
    JsonObject page;
    try {
      page = new JsonObject(body);
    } catch (DecodeException | ClassCastException e) {
      throw new IndexException("the page of `" + project + "` on " + source + " is not valid JSON");
    }
    JsonObject meta = page.getValue("meta") instanceof JsonObject o ? o : new JsonObject();
    checkApiVersion(String.valueOf(meta.getValue("api-version", "1.0")), project, source);
    if (!(page.getValue("files") instanceof JsonArray files)) {
      throw new IndexException("the page of `" + project + "` on " + source + " has no `files` list");
    }
    List<Link> links = new ArrayList<>();
    for (Object item : files) {
      if (!(item instanceof JsonObject f) || !(f.getValue("url") instanceof String url)
          || resolve(pageUrl, url).isEmpty()) {
        continue;
      }
      String href = resolve(pageUrl, url).get();
      Optional<String> sha256 = f.getValue("hashes") instanceof JsonObject h
          ? sha256Of(h) : Optional.empty();
      if (sha256.isEmpty()) {
        sha256 = fragmentHash(IndexUrls.fragment(href));
      }
      Object coreMetadata = f.containsKey("core-metadata") ? f.getValue("core-metadata")
          : f.getValue("dist-info-metadata");
      Optional<String> metadata = coreMetadata instanceof JsonObject h ? Optional.of(sha256Of(h).orElse(""))
          : Boolean.TRUE.equals(coreMetadata) ? Optional.of("") : Optional.empty();
      Object yanked = f.getValue("yanked");
      Optional<String> yankedReason = yanked instanceof String s ? Optional.of(s)
          : Boolean.TRUE.equals(yanked) ? Optional.of("") : Optional.empty();
      Optional<String> requiresPython = f.getValue("requires-python") instanceof String s
          ? nonBlank(s) : Optional.empty();
      // The JSON names the file; an odd URL (a download endpoint) must not rename it.
      Optional<String> filename = f.getValue("filename") instanceof String s ? Optional.of(s) : Optional.empty();
      links.add(new Link(href, filename, sha256, requiresPython, yankedReason, metadata));
    }
    return files(links, project, source);
  }

  private static List<DistributionFile> files(List<Link> links, String project, String source) {
    List<DistributionFile> out = new ArrayList<>();
    for (Link link : links) {
      String url = IndexUrls.withoutUserInfo(IndexUrls.withoutFragment(link.url));
      String filename;
      try {
        filename = link.filename.orElseGet(() -> IndexUrls.filename(link.url));
      } catch (IllegalArgumentException e) {
        continue; // a malformed %-escape: not a file we could name
      }
      if (!IndexUrls.isSafeFilename(filename) || !belongsTo(filename, project)) {
        continue;
      }
      out.add(new DistributionFile(project, filename, url, link.sha256, link.requiresPython,
          link.yanked, link.metadataSha256, source));
    }
    return out;
  }

  // A link that is not a valid URI reference is skipped, not fatal to the whole page.
  private static Optional<String> resolve(String base, String ref) {
    try {
      return Optional.of(IndexUrls.resolve(base, ref));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /** True when {@code filename} is a wheel or sdist of {@code project} (normalised). */
  static boolean belongsTo(String filename, String project) {
    if (filename.endsWith(".whl")) {
      return WheelFilename.tryParse(filename).map(w -> w.normalizedName().equals(project)).orElse(false);
    }
    return SdistFilename.forProject(filename, project).isPresent();
  }

  private static void checkApiVersion(String version, String project, String source) {
    String major = version.strip().split("\\.", 2)[0];
    if (!major.equals("1")) {
      throw new IndexException("the page of `" + project + "` on " + source
          + " uses simple API version " + version + "; only version 1 is understood");
    }
  }

  // "true" offers the file without a hash; "sha256=..." with one; another hash name, without ours.
  private static Optional<String> metadataAttribute(String value) {
    String v = value.strip();
    if (v.equalsIgnoreCase("true")) {
      return Optional.of("");
    }
    int eq = v.indexOf('=');
    if (eq > 0) {
      return Optional.of(v.substring(0, eq).equalsIgnoreCase("sha256")
          ? v.substring(eq + 1).toLowerCase(Locale.ROOT) : "");
    }
    return Optional.empty();
  }

  private static Optional<String> fragmentHash(String fragment) {
    for (String part : fragment.split("&")) {
      int eq = part.indexOf('=');
      if (eq > 0 && part.substring(0, eq).equalsIgnoreCase("sha256")) {
        return Optional.of(part.substring(eq + 1).toLowerCase(Locale.ROOT));
      }
    }
    return Optional.empty();
  }

  private static Optional<String> sha256Of(JsonObject hashes) {
    return hashes.getValue("sha256") instanceof String s
        ? Optional.of(s.toLowerCase(Locale.ROOT)) : Optional.empty();
  }

  private static Optional<String> nonBlank(String s) {
    return s == null || s.isBlank() ? Optional.empty() : Optional.of(s.strip());
  }

  /** True when {@code sha256} looks like a sha256 hex digest. */
  static boolean isSha256(String sha256) {
    return SHA256.matcher(sha256).matches();
  }

  static Map<String, String> attributes(String text) {
    Map<String, String> out = new LinkedHashMap<>();
    Matcher m = ATTRIBUTE.matcher(text);
    while (m.find()) {
      String name = m.group(1).toLowerCase(Locale.ROOT);
      String raw = m.group(2) != null ? m.group(2) : m.group(3) != null ? m.group(3)
          : m.group(4) != null ? m.group(4) : "";
      out.putIfAbsent(name, unescape(raw));
    }
    return out;
  }

  private static final Map<String, String> ENTITIES = new HashMap<>(Map.of(
      "amp", "&", "lt", "<", "gt", ">", "quot", "\"", "apos", "'", "nbsp", "\u00a0"));

  /** HTML character references: named (the common ones), decimal and hexadecimal. */
  static String unescape(String s) {
    if (s.indexOf('&') < 0) {
      return s;
    }
    StringBuilder sb = new StringBuilder(s.length());
    int i = 0;
    while (i < s.length()) {
      char c = s.charAt(i);
      int semi = c == '&' ? s.indexOf(';', i) : -1;
      if (semi > i + 1 && semi - i <= 12) {
        String ref = s.substring(i + 1, semi);
        String decoded = null;
        try {
          if (ref.startsWith("#x") || ref.startsWith("#X")) {
            decoded = Character.toString(Integer.parseInt(ref.substring(2), 16));
          } else if (ref.startsWith("#")) {
            decoded = Character.toString(Integer.parseInt(ref.substring(1)));
          } else {
            decoded = ENTITIES.get(ref);
          }
        } catch (IllegalArgumentException e) {
          decoded = null; // not a character reference: keep the text as written
        }
        if (decoded != null) {
          sb.append(decoded);
          i = semi + 1;
          continue;
        }
      }
      sb.append(c);
      i++;
    }
    return sb.toString();
  }
}

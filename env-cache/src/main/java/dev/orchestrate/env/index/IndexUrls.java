package dev.orchestrate.env.index;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/** URL handling for indexes: credentials split off and redacted, references resolved, file names. */
public final class IndexUrls {
  private IndexUrls() {}

  /**
   * The URL with any {@code user:password@} replaced by {@code ***@}, for messages. Works on
   * strings that are not valid URIs too (a password holding a raw {@code @}).
   */
  public static String redact(String url) {
    Objects.requireNonNull(url, "url");
    int scheme = url.indexOf("://");
    if (scheme < 0) {
      return url;
    }
    int start = scheme + 3;
    int at = userInfoEnd(url, start);
    return at < 0 ? url : url.substring(0, start) + "***@" + url.substring(at + 1);
  }

  /** The URL without its user info. */
  public static String withoutUserInfo(String url) {
    int scheme = url.indexOf("://");
    if (scheme < 0) {
      return url;
    }
    int start = scheme + 3;
    int at = userInfoEnd(url, start);
    return at < 0 ? url : url.substring(0, start) + url.substring(at + 1);
  }

  /** The {@code user:password} of the URL (percent-decoded), when it has user info. */
  public static Optional<Credentials> userInfo(String url) {
    int scheme = url.indexOf("://");
    if (scheme < 0) {
      return Optional.empty();
    }
    int start = scheme + 3;
    int at = userInfoEnd(url, start);
    if (at < 0) {
      return Optional.empty();
    }
    String info = url.substring(start, at);
    int colon = info.indexOf(':');
    String user = colon < 0 ? info : info.substring(0, colon);
    String password = colon < 0 ? "" : info.substring(colon + 1);
    return Optional.of(new Credentials(decode(user), decode(password)));
  }

  // As urllib.parse.urlsplit: the authority runs to the first '/', '?' or '#'; the user info is
  // what precedes its last '@'.
  private static int userInfoEnd(String url, int start) {
    int end = url.length();
    for (int i = start; i < url.length(); i++) {
      char c = url.charAt(i);
      if (c == '/' || c == '?' || c == '#') {
        end = i;
        break;
      }
    }
    return url.lastIndexOf('@', end - 1) >= start ? url.lastIndexOf('@', end - 1) : -1;
  }

  private static String decode(String s) {
    return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  /** {@code host:port} of an http(s) URL (default ports filled in), lower case; the key credentials are kept under. */
  public static String authority(URI uri) {
    int port = uri.getPort();
    if (port < 0) {
      port = "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }
    return (uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT)) + ":" + port;
  }

  /** Parses an http(s) URL (user info already removed), failing with a message that quotes it. */
  public static URI parseHttp(String url) {
    try {
      URI uri = new URI(url);
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
        throw new IllegalArgumentException("not an http(s) URL: `" + redact(url) + "`");
      }
      return uri;
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("invalid URL `" + redact(url) + "`: " + e.getReason());
    }
  }

  /** {@code ref} resolved against {@code base}, as a browser resolves an href. */
  public static String resolve(String base, String ref) {
    try {
      URI b = new URI(base);
      if (b.getRawPath() == null || b.getRawPath().isEmpty()) {
        b = new URI(b.getScheme(), b.getRawAuthority(), "/", null, null); // http://h + x is http://h/x
      }
      URI r = new URI(ref.strip().replace(" ", "%20"));
      if (r.isAbsolute()) {
        return r.toString();
      }
      // java.net.URI drops the base path for a query-only or empty reference; keep RFC 3986 here.
      if (ref.isEmpty()) {
        return withoutFragment(base);
      }
      return b.resolve(r).toString();
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("invalid link `" + redact(ref) + "`: " + e.getReason());
    }
  }

  /** The URL without its {@code #fragment}. */
  public static String withoutFragment(String url) {
    int hash = url.indexOf('#');
    return hash < 0 ? url : url.substring(0, hash);
  }

  /** The fragment of the URL, without {@code #}, empty when it has none. */
  public static String fragment(String url) {
    int hash = url.indexOf('#');
    return hash < 0 ? "" : url.substring(hash + 1);
  }

  /** The last path segment, percent-decoded: the name of the file the URL points at. */
  public static String filename(String url) {
    String path = withoutFragment(url);
    int query = path.indexOf('?');
    if (query >= 0) {
      path = path.substring(0, query);
    }
    String last = path.substring(path.lastIndexOf('/') + 1);
    return URLDecoder.decode(last.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  /**
   * True when {@code name} can be used as a file name inside a download directory: no separators,
   * no {@code .}/{@code ..}, no control characters. A hostile index must not pick our paths.
   */
  public static boolean isSafeFilename(String name) {
    if (name.isEmpty() || name.equals(".") || name.equals("..") || name.length() > 255) {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c == '/' || c == '\\' || c < 0x20 || c == 0x7f) {
        return false;
      }
    }
    return true;
  }
}

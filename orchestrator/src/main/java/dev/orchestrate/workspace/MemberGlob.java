package dev.orchestrate.workspace;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A member glob relative to the workspace root: {@code *}, {@code ?} and {@code [...]} stay within
 * one path segment, a {@code **} segment matches any number of directories (none included).
 * Expansion walks only what the pattern can reach, and wildcards never enter the directories a
 * scan skips (hidden ones, build outputs, virtualenvs); a literal segment may name anything.
 */
final class MemberGlob {

    private static final Set<String> SKIPPED_NAMES = Set.of("dist", "build", "node_modules", "__pycache__");

    private final String pattern;
    private final List<String> segments;
    // One regex per wildcard segment (null for literal and `**` segments), compiled once.
    private final List<Pattern> segmentPatterns;

    private MemberGlob(String pattern, List<String> segments) {
        this.pattern = pattern;
        this.segments = segments;
        List<Pattern> compiled = new ArrayList<>();
        for (String segment : segments) {
            compiled.add(segment.equals("**") || !hasWildcard(segment) ? null : compile(segmentRegex(segment), pattern));
        }
        this.segmentPatterns = compiled;
    }

    /**
     * Parses a pattern; absolute patterns are rejected by the caller.
     *
     * @throws IllegalArgumentException when the pattern is not a valid glob (e.g. {@code [z-a]})
     */
    static MemberGlob of(String pattern) {
        List<String> segments = new ArrayList<>();
        for (String segment : pattern.replace('\\', '/').split("/")) {
            boolean repeatedGlobstar = segment.equals("**") && !segments.isEmpty()
                    && segments.get(segments.size() - 1).equals("**");
            if (!segment.isEmpty() && !segment.equals(".") && !repeatedGlobstar) {
                segments.add(segment);
            }
        }
        return new MemberGlob(pattern, List.copyOf(segments));
    }

    String pattern() {
        return pattern;
    }

    /** Whether the pattern has any wildcard; a literal path must name a package. */
    boolean isLiteral() {
        return segments.stream().noneMatch(MemberGlob::hasWildcard);
    }

    static boolean isAbsolute(String pattern) {
        return pattern.startsWith("/") || pattern.startsWith("\\") || pattern.matches("^[A-Za-z]:.*");
    }

    /** Every directory the pattern reaches from {@code root}, lexically; a literal may not exist. */
    List<Path> expand(Path root) {
        List<Path> out = new ArrayList<>();
        expand(root, 0, out, new HashSet<>());
        return out;
    }

    private void expand(Path base, int index, List<Path> out, Set<String> seen) {
        if (index == segments.size()) {
            if (seen.add("=" + base)) {
                out.add(base);
            }
            return;
        }
        String segment = segments.get(index);
        if (segment.equals("**")) {
            if (!seen.add(index + ":" + base)) {
                return;
            }
            expand(base, index + 1, out, seen);
            for (Path child : walkableChildren(base, false)) {
                // Symlinked directories are matched but not walked through: no loops, no escapes.
                if (!Files.isSymbolicLink(child)) {
                    expand(child, index, out, seen);
                }
            }
        } else if (segmentPatterns.get(index) != null) {
            Pattern regex = segmentPatterns.get(index);
            for (Path child : walkableChildren(base, segment.startsWith("."))) {
                if (regex.matcher(child.getFileName().toString()).matches()) {
                    expand(child, index + 1, out, seen);
                }
            }
        } else {
            expand(base.resolve(segment), index + 1, out, seen);
        }
    }

    /** Child directories in name order, without those a wildcard must not enter. */
    static List<Path> walkableChildren(Path dir, boolean allowHidden) {
        List<Path> children = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return children;
        }
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir, Files::isDirectory)) {
            for (Path child : stream) {
                if (!isSkipped(child, allowHidden)) {
                    children.add(child);
                }
            }
        } catch (IOException e) {
            // Unreadable directories hold no members we could build anyway.
            return children;
        }
        children.sort(null);
        return children;
    }

    /** Hidden dirs, build outputs, caches, egg-info and virtualenvs are never packages to build. */
    static boolean isSkipped(Path dir, boolean allowHidden) {
        String name = dir.getFileName().toString();
        return (!allowHidden && name.startsWith("."))
                || SKIPPED_NAMES.contains(name)
                || name.toLowerCase(Locale.ROOT).endsWith(".egg-info")
                || Files.exists(dir.resolve("pyvenv.cfg"));
    }

    /**
     * The whole pattern as a regex over root-relative paths with {@code /} separators.
     *
     * @throws IllegalArgumentException when the pattern is not a valid glob
     */
    static Pattern pathRegex(String pattern) {
        List<String> parts = of(pattern).segments;
        StringBuilder regex = new StringBuilder();
        for (int i = 0; i < parts.size(); i++) {
            String part = parts.get(i);
            boolean last = i == parts.size() - 1;
            if (part.equals("**")) {
                // Zero or more whole segments, with the separators that go with them.
                regex.append(last ? (i == 0 ? ".*" : "(?:/.*)?") : (i == 0 ? "(?:.*/)?" : "(?:/.*)?/"));
                continue;
            }
            if (i > 0 && !parts.get(i - 1).equals("**")) {
                regex.append('/');
            }
            regex.append(segmentRegex(part));
        }
        return compile(regex.toString(), pattern);
    }

    private static Pattern compile(String regex, String pattern) {
        try {
            return Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("`" + pattern + "` is not a valid glob: " + e.getDescription(), e);
        }
    }

    private static boolean hasWildcard(String segment) {
        return segment.indexOf('*') >= 0 || segment.indexOf('?') >= 0 || segment.indexOf('[') >= 0;
    }

    private static String segmentRegex(String segment) {
        StringBuilder regex = new StringBuilder();
        for (int i = 0; i < segment.length(); i++) {
            char c = segment.charAt(i);
            if (c == '*') {
                regex.append("[^/]*");
                while (i + 1 < segment.length() && segment.charAt(i + 1) == '*') {
                    i++; // `**` inside a segment is a plain `*`, as in gitignore
                }
            } else if (c == '?') {
                regex.append("[^/]");
            } else if (c == '[') {
                int close = segment.indexOf(']', i + 2);
                if (close < 0) {
                    regex.append("\\[");
                } else {
                    String body = segment.substring(i + 1, close);
                    if (body.startsWith("!")) {
                        body = "^" + body.substring(1);
                    }
                    String escaped = body.replace("\\", "\\\\").replace("[", "\\[").replace("&&", "&\\&");
                    regex.append('[').append(escaped).append(']');
                    i = close;
                }
            } else {
                regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return regex.toString();
    }

    @Override
    public String toString() {
        return pattern;
    }
}

package dev.orchestrate.workspace;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;

/**
 * Something wrong with one member (or with one entry of the workspace's member list), pinned to
 * the place in the file that says it. Problems are values: discovery goes on and reports them all.
 *
 * @param dir     the member directory concerned
 * @param file    the file that says it, usually the {@code pyproject.toml}
 * @param line    1-based line in {@code file}, or 0 when the problem has no single place
 * @param column  1-based column, or 0 when unknown
 * @param key     the TOML key, e.g. {@code build-system.requires[1]}, or "" when none applies
 * @param message what is wrong, with names in backticks
 */
public record MemberProblem(Path dir, Path file, int line, int column, String key, String message) {

    public MemberProblem {
        requireNonNull(dir, "dir");
        requireNonNull(file, "file");
        requireNonNull(key, "key");
        requireNonNull(message, "message");
        if (line < 0 || column < 0) {
            throw new IllegalArgumentException("line and column must be >= 0");
        }
    }

    /** A problem with no position: about the whole file or directory. */
    public static MemberProblem of(Path dir, Path file, String key, String message) {
        return new MemberProblem(dir, file, 0, 0, key, message);
    }

    /** {@code file:line:column: key: message}, with the parts that are unknown left out. */
    public String describe() {
        return describe(file.toString());
    }

    /** Like {@link #describe()}, with the file shown relative to {@code base} when it lies below it. */
    public String describe(Path base) {
        Path shown = file;
        if (file.isAbsolute() && base.isAbsolute() && file.startsWith(base)) {
            shown = base.relativize(file);
        }
        return describe(shown.toString().replace('\\', '/'));
    }

    private String describe(String fileText) {
        StringBuilder out = new StringBuilder(fileText);
        if (line > 0) {
            out.append(':').append(line);
            if (column > 0) {
                out.append(':').append(column);
            }
        }
        out.append(": ");
        if (!key.isEmpty()) {
            out.append(key).append(": ");
        }
        return out.append(message).toString();
    }
}

package dev.orchestrate.workspace;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.Optional;

/**
 * The workspace as a whole cannot be read: the root does not exist, its {@code pyproject.toml}
 * is not valid TOML, or its member table is malformed. Nothing can be built; the CLI exits with 2.
 */
public final class WorkspaceException extends Exception {

    private final transient Path file;
    private final int line;
    private final int column;

    /** A failure about {@code file} (may be null when no file is concerned) at line/column (0 if unknown). */
    public WorkspaceException(Path file, int line, int column, String message, Throwable cause) {
        super(message, cause);
        this.file = file;
        this.line = line;
        this.column = column;
    }

    public WorkspaceException(Path file, int line, int column, String message) {
        this(file, line, column, message, null);
    }

    public Optional<Path> file() {
        return Optional.ofNullable(file);
    }

    /** 1-based line, or 0 when unknown. */
    public int line() {
        return line;
    }

    /** 1-based column, or 0 when unknown. */
    public int column() {
        return column;
    }

    /** {@code file:line:column: message}, with the unknown parts left out. */
    public String describe() {
        if (file == null) {
            return getMessage();
        }
        StringBuilder out = new StringBuilder(file.toString());
        if (line > 0) {
            out.append(':').append(line);
            if (column > 0) {
                out.append(':').append(column);
            }
        }
        return out.append(": ").append(requireNonNull(getMessage())).toString();
    }
}

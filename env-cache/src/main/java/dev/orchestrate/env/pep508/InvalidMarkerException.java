package dev.orchestrate.env.pep508;

/**
 * Thrown when a string is not a PEP 508 marker expression (including references to unknown
 * variables). The message shows the input with a caret under the failing position.
 */
public final class InvalidMarkerException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final String input;
    private final String reason;
    private final int spanStart;
    private final int position;

    public InvalidMarkerException(String input, String reason, int spanStart, int position) {
        super(SyntaxErrors.render(reason, input, spanStart, position));
        this.input = input;
        this.reason = reason;
        this.spanStart = spanStart;
        this.position = position;
    }

    /** The rejected text, exactly as given. */
    public String input() {
        return input;
    }

    /** The problem, without the input excerpt. */
    public String reason() {
        return reason;
    }

    /** Offset (in chars) where the offending span starts. */
    public int spanStart() {
        return spanStart;
    }

    /** Offset (in chars) where parsing stopped: the caret. */
    public int position() {
        return position;
    }
}

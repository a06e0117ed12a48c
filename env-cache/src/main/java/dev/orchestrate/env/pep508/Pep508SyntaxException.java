package dev.orchestrate.env.pep508;

/**
 * A string that the PEP 508 grammar rejects. The message names the problem and shows the input
 * with a caret under the position where parsing failed, e.g.
 *
 * <pre>
 * Expected a version after '&gt;='
 *     foo &gt;=
 *           ^
 * </pre>
 */
public abstract sealed class Pep508SyntaxException extends IllegalArgumentException
        permits InvalidRequirementException, InvalidMarkerException {
    private static final long serialVersionUID = 1L;

    private final String input;
    private final String reason;
    private final int spanStart;
    private final int position;

    Pep508SyntaxException(String input, String reason, int spanStart, int position) {
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

    /** Offset (in chars) where the offending span starts; equals {@link #position()} for a point error. */
    public int spanStart() {
        return spanStart;
    }

    /** Offset (in chars) where parsing stopped: the caret. */
    public int position() {
        return position;
    }
}

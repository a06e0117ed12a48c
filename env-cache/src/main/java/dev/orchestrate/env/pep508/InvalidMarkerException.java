package dev.orchestrate.env.pep508;

/** Thrown when a string is not a PEP 508 marker expression (including references to unknown variables). */
public final class InvalidMarkerException extends Pep508SyntaxException {
    private static final long serialVersionUID = 1L;

    public InvalidMarkerException(String input, String reason, int spanStart, int position) {
        super(input, reason, spanStart, position);
    }
}

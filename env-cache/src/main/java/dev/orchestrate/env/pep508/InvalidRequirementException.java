package dev.orchestrate.env.pep508;

/** Thrown when a string is not a PEP 508 dependency specifier. */
public final class InvalidRequirementException extends Pep508SyntaxException {
    private static final long serialVersionUID = 1L;

    public InvalidRequirementException(String input, String reason, int spanStart, int position) {
        super(input, reason, spanStart, position);
    }
}

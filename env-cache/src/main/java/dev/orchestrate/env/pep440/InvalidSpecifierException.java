package dev.orchestrate.env.pep440;

/** Thrown when a string is not a valid PEP 440 version specifier (or comma-separated set of them). */
public final class InvalidSpecifierException extends Pep440SyntaxException {
    private static final long serialVersionUID = 1L;

    public InvalidSpecifierException(String input, String reason) {
        super("specifier", input, reason);
    }
}

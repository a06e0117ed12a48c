package dev.orchestrate.env.pep440;

/** Thrown when a string is not a valid PEP 440 version, even under permissive parsing. */
public final class InvalidVersionException extends Pep440SyntaxException {
    private static final long serialVersionUID = 1L;

    public InvalidVersionException(String input, String reason) {
        super("version", input, reason);
    }
}

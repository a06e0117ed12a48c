package dev.orchestrate.env.pep440;

/** Thrown when a string is not a valid PEP 440 version specifier (or comma-separated set of them). */
public final class InvalidSpecifierException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final String input;
    private final String reason;

    public InvalidSpecifierException(String input, String reason) {
        super("Invalid specifier '" + input + "': " + reason);
        this.input = input;
        this.reason = reason;
    }

    /** The rejected text, exactly as given. */
    public String input() {
        return input;
    }

    /** What is wrong, without the input. */
    public String reason() {
        return reason;
    }
}

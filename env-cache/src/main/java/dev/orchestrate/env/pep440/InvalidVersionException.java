package dev.orchestrate.env.pep440;

/** Thrown when a string is not a valid PEP 440 version, even under permissive parsing. */
public final class InvalidVersionException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final String input;
    private final String reason;

    public InvalidVersionException(String input, String reason) {
        super("Invalid version '" + input + "': " + reason);
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

package dev.orchestrate.env.pep440;

/** A string that is not valid PEP 440 syntax; the message quotes the input and says what is wrong. */
public abstract sealed class Pep440SyntaxException extends IllegalArgumentException
        permits InvalidVersionException, InvalidSpecifierException {
    private static final long serialVersionUID = 1L;

    private final String input;
    private final String reason;

    Pep440SyntaxException(String what, String input, String reason) {
        super("Invalid " + what + " '" + input + "': " + reason);
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

package dev.orchestrate.env.pep508;

/**
 * Thrown when a well-formed marker cannot be evaluated: a variable is missing from the environment,
 * or the comparison is undefined (e.g. {@code ~=} between strings that are not versions).
 */
public final class MarkerEvaluationException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    public MarkerEvaluationException(String message) {
        super(message);
    }
}

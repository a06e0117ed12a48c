package dev.orchestrate.env.pep508;

/** Renders a parse error the way {@code packaging} does: the reason, the input, and a marker line under it. */
final class SyntaxErrors {

    private SyntaxErrors() {
    }

    /**
     * {@code reason}, then the input indented by four spaces, then {@code ~} under the offending
     * span and {@code ^} at the point where parsing stopped.
     */
    static String render(String reason, String input, int spanStart, int position) {
        StringBuilder sb = new StringBuilder(reason).append("\n    ").append(input).append("\n    ");
        sb.append(" ".repeat(spanStart)).append("~".repeat(Math.max(0, position - spanStart))).append('^');
        return sb.toString();
    }
}

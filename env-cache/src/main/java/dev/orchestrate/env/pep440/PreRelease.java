package dev.orchestrate.env.pep440;

import java.util.Objects;

/** The pre-release segment of a version, e.g. {@code rc1}; alternative spellings are already folded into {@link Kind}. */
public record PreRelease(Kind kind, long number) implements Comparable<PreRelease> {

    /** Pre-release phases in their PEP 440 order (the enum order is the sort order). */
    public enum Kind {
        ALPHA("a"),
        BETA("b"),
        RELEASE_CANDIDATE("rc");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        /** The normalised spelling: {@code a}, {@code b} or {@code rc}. */
        public String label() {
            return label;
        }
    }

    public PreRelease {
        Objects.requireNonNull(kind, "kind");
        if (number < 0) {
            throw new IllegalArgumentException("pre-release number must be non-negative: " + number);
        }
    }

    @Override
    public int compareTo(PreRelease other) {
        int byKind = kind.compareTo(other.kind);
        return byKind != 0 ? byKind : Long.compare(number, other.number);
    }

    /** The normalised form, e.g. {@code a0} or {@code rc2}. */
    @Override
    public String toString() {
        return kind.label + number;
    }
}

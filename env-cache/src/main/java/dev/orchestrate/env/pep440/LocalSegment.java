package dev.orchestrate.env.pep440;

import java.util.Locale;
import java.util.Objects;

/**
 * One dot-separated segment of a local version label, already normalised: letters lower-cased,
 * all-digit segments stripped of leading zeros (they compare as integers).
 *
 * <p>Numeric segments are kept as digit strings so that arbitrarily large numbers still compare
 * numerically without overflow.
 */
public record LocalSegment(String value) implements Comparable<LocalSegment> {

    public LocalSegment {
        Objects.requireNonNull(value, "value");
        if (value.isEmpty()) {
            throw new IllegalArgumentException("local version segment must not be empty");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (!(c >= '0' && c <= '9') && !(c >= 'a' && c <= 'z')) {
                throw new IllegalArgumentException("local version segment must be normalised [a-z0-9]+: " + value);
            }
        }
        if (allDigits(value) && value.length() > 1 && value.charAt(0) == '0') {
            throw new IllegalArgumentException("numeric local version segment must not have leading zeros: " + value);
        }
    }

    /** Normalises raw label text ({@code "Ubuntu"} → {@code ubuntu}, {@code "007"} → {@code 7}). */
    public static LocalSegment of(String raw) {
        String lower = raw.toLowerCase(Locale.ROOT);
        if (!lower.isEmpty() && allDigits(lower)) {
            int i = 0;
            while (i < lower.length() - 1 && lower.charAt(i) == '0') {
                i++;
            }
            lower = lower.substring(i);
        }
        return new LocalSegment(lower);
    }

    /** True when the segment is all digits, i.e. compares as an integer. */
    public boolean isNumeric() {
        return allDigits(value);
    }

    /** PEP 440: integers compare numerically, strings case-insensitively, and any integer sorts after any string. */
    @Override
    public int compareTo(LocalSegment other) {
        boolean thisNumeric = isNumeric();
        boolean otherNumeric = other.isNumeric();
        if (thisNumeric != otherNumeric) {
            return thisNumeric ? 1 : -1;
        }
        if (thisNumeric && value.length() != other.value.length()) {
            // No leading zeros, so the longer digit string is the larger number.
            return Integer.compare(value.length(), other.value.length());
        }
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }

    private static boolean allDigits(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }
}

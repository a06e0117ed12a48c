package dev.orchestrate.env.pep508;

import dev.orchestrate.env.pep440.SpecifierSet;
import java.util.Collection;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * A PEP 508 dependency specifier, e.g. {@code requests[security] >= 2.8.1, == 2.8.* ; python_version < "2.7"}
 * or {@code pip @ https://example.org/pip-1.3.1.zip}.
 *
 * @param name           the distribution name as written
 * @param normalizedName the PEP 503 form of {@code name}
 * @param extras         requested extras, normalised and sorted
 * @param specifier      version constraints; empty for URL requirements and bare names
 * @param url            the direct reference of a {@code name @ url} requirement
 * @param marker         the environment marker after {@code ;}
 */
public record Requirement(
        String name,
        String normalizedName,
        SortedSet<String> extras,
        SpecifierSet specifier,
        Optional<String> url,
        Optional<Marker> marker) {

    public Requirement {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(normalizedName, "normalizedName");
        Objects.requireNonNull(extras, "extras");
        Objects.requireNonNull(specifier, "specifier");
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(marker, "marker");
        if (!PackageName.isValid(name)) {
            throw new IllegalArgumentException("invalid distribution name: '" + name + "'");
        }
        if (!normalizedName.equals(PackageName.normalize(name))) {
            throw new IllegalArgumentException("normalizedName '" + normalizedName + "' is not the normal form of '" + name + "'");
        }
        extras = normalizeExtras(extras);
        if (url.isPresent()) {
            String u = url.get();
            if (u.isEmpty() || u.chars().anyMatch(c -> c <= ' ' || c == '\u007f')) {
                throw new IllegalArgumentException(
                        "a requirement URL must be non-empty and contain no whitespace or control characters: '" + u + "'");
            }
            if (!specifier.isEmpty()) {
                throw new IllegalArgumentException("a requirement has either a URL or version specifiers, not both");
            }
        }
    }

    /** Builds a requirement from its parts, deriving {@link #normalizedName()}. */
    public Requirement(String name, Collection<String> extras, SpecifierSet specifier, Optional<String> url,
            Optional<Marker> marker) {
        this(name, PackageName.normalize(Objects.requireNonNull(name, "name")), new TreeSet<>(extras), specifier,
                url, marker);
    }

    /**
     * Parses a PEP 508 dependency specifier.
     *
     * @throws InvalidRequirementException showing the input and the position of the problem
     */
    public static Requirement parse(String text) {
        Objects.requireNonNull(text, "text");
        Pep508Parser.Parsed p = Pep508Parser.parseRequirement(text);
        return new Requirement(
                p.name(),
                p.extras(),
                p.specifier(),
                Optional.ofNullable(p.url()),
                Optional.ofNullable(p.marker()).map(Marker::of));
    }

    /** Like {@link #parse(String)} but returns empty instead of throwing. */
    public static Optional<Requirement> tryParse(String text) {
        try {
            return Optional.of(parse(text));
        } catch (InvalidRequirementException e) {
            return Optional.empty();
        }
    }

    /**
     * Whether the requirement applies to an environment and a set of requested extras: true when
     * there is no marker, otherwise {@link Marker#evaluate(Map, Set)}.
     */
    public boolean appliesTo(Map<String, String> environment, Set<String> requestedExtras) {
        return marker.map(m -> m.evaluate(environment, requestedExtras)).orElse(true);
    }

    /**
     * The stable form used in cache keys: normalised name, sorted extras, canonical specifier set,
     * URL, and canonical marker, e.g. {@code name[a,b]<2,>=1.0; python_version >= "3.8"}. Equal
     * requirements (in the sense of {@link #equals(Object)}) have the same canonical string.
     */
    public String toCanonicalString() {
        return render(normalizedName);
    }

    /** Like {@link #toCanonicalString()} but with the name as written. */
    @Override
    public String toString() {
        return render(name);
    }

    /** Equality ignores how the name was spelled: it compares the normalised name and the other parts. */
    @Override
    public boolean equals(Object o) {
        return o instanceof Requirement other
                && normalizedName.equals(other.normalizedName)
                && extras.equals(other.extras)
                && specifier.equals(other.specifier)
                && url.equals(other.url)
                && marker.equals(other.marker);
    }

    @Override
    public int hashCode() {
        return Objects.hash(normalizedName, extras, specifier, url, marker);
    }

    private String render(String displayName) {
        StringBuilder sb = new StringBuilder(displayName);
        if (!extras.isEmpty()) {
            sb.append('[').append(String.join(",", extras)).append(']');
        }
        sb.append(specifier);
        url.ifPresent(u -> {
            sb.append(" @ ").append(u);
            // The URL would otherwise run into the ';' (a URL ends only at whitespace).
            if (marker.isPresent()) {
                sb.append(' ');
            }
        });
        marker.ifPresent(m -> sb.append("; ").append(m));
        return sb.toString();
    }

    private static SortedSet<String> normalizeExtras(Collection<String> extras) {
        TreeSet<String> out = new TreeSet<>();
        for (String extra : extras) {
            if (!PackageName.isValid(Objects.requireNonNull(extra, "extra"))) {
                throw new IllegalArgumentException("invalid extra name: '" + extra + "'");
            }
            out.add(PackageName.normalize(extra));
        }
        return Collections.unmodifiableSortedSet(out);
    }
}

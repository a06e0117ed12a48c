package dev.orchestrate.env.pep440;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * A comma-separated conjunction of {@link Specifier}s, e.g. {@code >=1.0,!=1.3.*,<2}; may be empty
 * (matches every final release).
 *
 * <p>The clauses are de-duplicated and sorted by their normalised text on construction, so
 * {@link #toString()} is canonical: sets that differ only in order, whitespace, duplicates or
 * version spelling print (and compare) the same.
 *
 * <p>Pre-release policy follows {@code packaging.specifiers.SpecifierSet}: {@link #contains(Version)}
 * excludes pre-releases unless some clause names one; {@link #filter(List)} additionally falls back
 * to pre-releases when no final or post release matches (the PEP 440 "only available version"
 * rule).
 */
public record SpecifierSet(List<Specifier> specifiers) implements Iterable<Specifier> {

    private static final SpecifierSet EMPTY = new SpecifierSet(List.of());

    public SpecifierSet {
        Objects.requireNonNull(specifiers, "specifiers");
        Set<Specifier> unique = new LinkedHashSet<>();
        for (Specifier s : specifiers) {
            unique.add(Objects.requireNonNull(s, "specifier"));
        }
        List<Specifier> sorted = new ArrayList<>(unique);
        sorted.sort(Comparator.comparing(Specifier::toString));
        specifiers = List.copyOf(sorted);
    }

    /** The set with no clauses. */
    public static SpecifierSet empty() {
        return EMPTY;
    }

    public static SpecifierSet of(Specifier... specifiers) {
        return new SpecifierSet(List.of(specifiers));
    }

    /**
     * Parses a comma-separated list of clauses. Whitespace around clauses and empty items (such as
     * a trailing comma) are ignored, so {@code ""} is the empty set.
     *
     * @throws InvalidSpecifierException naming the whole input if any clause is invalid
     */
    public static SpecifierSet parse(String text) {
        Objects.requireNonNull(text, "text");
        List<Specifier> out = new ArrayList<>();
        for (String item : text.split(",", -1)) {
            if (Specifier.strip(item).isEmpty()) {
                continue;
            }
            try {
                out.add(Specifier.parse(item));
            } catch (InvalidSpecifierException e) {
                throw new InvalidSpecifierException(text, "'" + Specifier.strip(item) + "': " + e.reason());
            }
        }
        return new SpecifierSet(out);
    }

    /** Like {@link #parse(String)} but returns empty instead of throwing. */
    public static Optional<SpecifierSet> tryParse(String text) {
        try {
            return Optional.of(parse(text));
        } catch (InvalidSpecifierException e) {
            return Optional.empty();
        }
    }

    public boolean isEmpty() {
        return specifiers.isEmpty();
    }

    public int size() {
        return specifiers.size();
    }

    @Override
    public Iterator<Specifier> iterator() {
        return specifiers.iterator();
    }

    /** The conjunction of both sets. */
    public SpecifierSet and(SpecifierSet other) {
        List<Specifier> all = new ArrayList<>(specifiers);
        all.addAll(other.specifiers);
        return new SpecifierSet(all);
    }

    /** True when some clause names a pre-release, which makes pre-releases acceptable by default. */
    public boolean namesPrerelease() {
        for (Specifier s : specifiers) {
            if (s.namesPrerelease()) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether {@code candidate} satisfies every clause, with the default pre-release policy:
     * pre-releases are excluded unless a clause names one ({@code packaging}'s
     * {@code contains(v, prereleases=None)}). The empty set therefore contains every final release
     * and no pre-release.
     */
    public boolean contains(Version candidate) {
        return contains(candidate, namesPrerelease());
    }

    /**
     * Whether {@code candidate} satisfies every clause; {@code allowPrereleases} overrides the
     * default policy in both directions (false rejects pre-releases even if a clause names one).
     */
    public boolean contains(Version candidate, boolean allowPrereleases) {
        Objects.requireNonNull(candidate, "candidate");
        if (!allowPrereleases && candidate.isPrerelease()) {
            return false;
        }
        for (Specifier s : specifiers) {
            if (!s.matches(candidate)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Like {@link #contains(Version)} for a raw version string, so that {@code ===} clauses compare
     * against the text as written. A string that is not a PEP 440 version can only be contained by
     * a non-empty set made entirely of matching {@code ===} clauses.
     */
    public boolean contains(String candidate) {
        return contains(candidate, namesPrerelease());
    }

    /** {@link #contains(String)} with an explicit pre-release policy. */
    public boolean contains(String candidate, boolean allowPrereleases) {
        Objects.requireNonNull(candidate, "candidate");
        Optional<Version> parsed = Version.tryParse(candidate);
        if (parsed.isEmpty()) {
            if (specifiers.isEmpty()) {
                return false;
            }
            for (Specifier s : specifiers) {
                if (s.operator() != Specifier.Operator.ARBITRARY_EQUAL || !s.matchesArbitrary(candidate)) {
                    return false;
                }
            }
            return true;
        }
        Version version = parsed.get();
        if (!allowPrereleases && version.isPrerelease()) {
            return false;
        }
        for (Specifier s : specifiers) {
            boolean ok = s.operator() == Specifier.Operator.ARBITRARY_EQUAL
                    ? s.matchesArbitrary(candidate)
                    : s.matches(version);
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /**
     * The candidates satisfying this set, in their original order, with the default pre-release
     * policy: pre-releases are kept if a clause names one; otherwise they are kept only when no
     * final or post release matches at all.
     */
    public List<Version> filter(List<Version> candidates) {
        return filterBy(candidates, Function.identity());
    }

    /** The candidates satisfying this set with an explicit pre-release policy (no fallback). */
    public List<Version> filter(List<Version> candidates, boolean allowPrereleases) {
        return filterBy(candidates, Function.identity(), allowPrereleases);
    }

    /** {@link #filter(List)} over arbitrary items (e.g. index links), keyed by their version. */
    public <T> List<T> filterBy(Collection<? extends T> items, Function<? super T, Version> versionOf) {
        if (namesPrerelease()) {
            return filterBy(items, versionOf, true);
        }
        List<T> finals = new ArrayList<>();
        List<T> prereleases = new ArrayList<>();
        for (T item : items) {
            Version v = versionOf.apply(item);
            if (contains(v, true)) {
                (v.isPrerelease() ? prereleases : finals).add(item);
            }
        }
        return finals.isEmpty() ? prereleases : finals;
    }

    /** {@link #filter(List, boolean)} over arbitrary items, keyed by their version. */
    public <T> List<T> filterBy(Collection<? extends T> items, Function<? super T, Version> versionOf,
            boolean allowPrereleases) {
        List<T> out = new ArrayList<>();
        for (T item : items) {
            if (contains(versionOf.apply(item), allowPrereleases)) {
                out.add(item);
            }
        }
        return out;
    }

    /** The canonical form: normalised clauses, sorted, comma-separated, no spaces; {@code ""} when empty. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (Specifier s : specifiers) {
            if (sb.length() > 0) {
                sb.append(',');
            }
            sb.append(s);
        }
        return sb.toString();
    }
}

package dev.orchestrate.env.pep440;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A single PEP 440 version clause such as {@code >=1.0}, {@code ==3.11.*} or {@code ===foobar}.
 *
 * <p>{@link #toString()} is the normalised form: no whitespace, the version in PEP 440 normal form
 * (except for {@code ===}, whose text is matched as a string and so is kept verbatim), and a
 * wildcard keeps its {@code .*}. Two specifiers are {@linkplain #equals(Object) equal} exactly when
 * their normalised forms are, so {@code >=1.0} and {@code >=1.0.0} are distinct specifiers even
 * though they match the same versions; this keeps equality in step with the printed form used in
 * cache keys.
 */
public final class Specifier {

    /** The comparison operators, each with its PEP 440 spelling. */
    public enum Operator {
        COMPATIBLE("~="),
        EQUAL("=="),
        NOT_EQUAL("!="),
        LESS_THAN_OR_EQUAL("<="),
        GREATER_THAN_OR_EQUAL(">="),
        LESS_THAN("<"),
        GREATER_THAN(">"),
        ARBITRARY_EQUAL("===");

        private final String symbol;

        Operator(String symbol) {
            this.symbol = symbol;
        }

        public String symbol() {
            return symbol;
        }

        /** The operator spelled exactly {@code symbol}, if any. */
        public static Optional<Operator> fromSymbol(String symbol) {
            for (Operator op : values()) {
                if (op.symbol.equals(symbol)) {
                    return Optional.of(op);
                }
            }
            return Optional.empty();
        }
    }

    // Longest spellings first so "===" is not read as "==" followed by "=".
    private static final String[] SYMBOLS_LONGEST_FIRST = {"===", "~=", "==", "!=", "<=", ">=", "<", ">"};

    // The part before ".*" may only be an epoch and a release: a prefix match on a pre, post, dev
    // or local segment is meaningless per the spec.
    private static final Pattern WILDCARD_PREFIX =
            Pattern.compile("v?(?:([0-9]+)!)?([0-9]+(?:\\.[0-9]+)*)", Pattern.CASE_INSENSITIVE);

    private final Operator operator;
    private final String version; // normalised text; raw text for ===
    private final Version target; // parsed version (prefix for wildcards); null only for ===
    private final boolean wildcard;

    private Specifier(Operator operator, String version, Version target, boolean wildcard) {
        this.operator = operator;
        this.version = version;
        this.target = target;
        this.wildcard = wildcard;
    }

    /**
     * Parses one clause, e.g. {@code ">= 1.0"}; whitespace around and after the operator is ignored.
     *
     * @throws InvalidSpecifierException if the clause is not valid for its operator
     */
    public static Specifier parse(String text) {
        Objects.requireNonNull(text, "text");
        String trimmed = strip(text);
        Operator op = null;
        for (String symbol : SYMBOLS_LONGEST_FIRST) {
            if (trimmed.startsWith(symbol)) {
                op = Operator.fromSymbol(symbol).orElseThrow();
                break;
            }
        }
        if (op == null) {
            throw new InvalidSpecifierException(text, "expected an operator (~=, ==, !=, <=, >=, <, >, ===)");
        }
        String versionText = strip(trimmed.substring(op.symbol().length()));
        if (versionText.isEmpty()) {
            throw new InvalidSpecifierException(text, "expected a version after '" + op.symbol() + "'");
        }
        return of(op, versionText, text);
    }

    /** Like {@link #parse(String)} but returns empty instead of throwing. */
    public static Optional<Specifier> tryParse(String text) {
        try {
            return Optional.of(parse(text));
        } catch (InvalidSpecifierException e) {
            return Optional.empty();
        }
    }

    /**
     * Builds a clause from an operator and version text, validated as {@link #parse(String)} would.
     *
     * @throws InvalidSpecifierException if the version text is not valid for the operator
     */
    public static Specifier of(Operator operator, String versionText) {
        Objects.requireNonNull(operator, "operator");
        Objects.requireNonNull(versionText, "versionText");
        return of(operator, strip(versionText), operator.symbol() + versionText);
    }

    private static Specifier of(Operator op, String versionText, String input) {
        if (op == Operator.ARBITRARY_EQUAL) {
            for (int i = 0; i < versionText.length(); i++) {
                char c = versionText.charAt(i);
                // A set is comma separated, and in requirements ';' starts a marker and ')' closes
                // a parenthesised specifier, so none of these can belong to an arbitrary version.
                if (isSpace(c) || c == ',' || c == ';' || c == ')') {
                    throw new InvalidSpecifierException(input, "'===' version must not contain whitespace, ',', ';' or ')'");
                }
            }
            if (versionText.isEmpty()) {
                throw new InvalidSpecifierException(input, "expected a version after '==='");
            }
            return new Specifier(op, versionText, null, false);
        }
        if (versionText.endsWith(".*")) {
            if (op != Operator.EQUAL && op != Operator.NOT_EQUAL) {
                throw new InvalidSpecifierException(input, "a '.*' suffix can only be used with == or !=");
            }
            Matcher m = WILDCARD_PREFIX.matcher(versionText.substring(0, versionText.length() - 2));
            if (!m.matches()) {
                throw new InvalidSpecifierException(input,
                        "a '.*' suffix may only follow an epoch and release segment, e.g. ==1.2.*");
            }
            Version prefix;
            try {
                prefix = Version.parse(m.group());
            } catch (InvalidVersionException e) {
                throw new InvalidSpecifierException(input, e.reason());
            }
            return new Specifier(op, prefix + ".*", prefix, true);
        }
        Version parsed;
        try {
            parsed = Version.parse(versionText);
        } catch (InvalidVersionException e) {
            throw new InvalidSpecifierException(input, "'" + versionText + "' is not a valid PEP 440 version");
        }
        // The spec text in parse() was already stripped, so Version.parse never saw whitespace;
        // anything inside (e.g. "1.0 a1") was rejected by the grammar.
        if (parsed.hasLocal() && op != Operator.EQUAL && op != Operator.NOT_EQUAL) {
            throw new InvalidSpecifierException(input, "a local version label can only be used with == or !=");
        }
        if (op == Operator.COMPATIBLE && parsed.release().size() < 2) {
            throw new InvalidSpecifierException(input, "'~=' needs a version with at least two release segments");
        }
        return new Specifier(op, parsed.toString(), parsed, false);
    }

    public Operator operator() {
        return operator;
    }

    /** The normalised version text: e.g. {@code 1.0rc1}, {@code 1.2.*}, or the verbatim {@code ===} text. */
    public String version() {
        return version;
    }

    /** True for the {@code ==V.*} and {@code !=V.*} prefix forms. */
    public boolean isWildcard() {
        return wildcard;
    }

    /**
     * Whether this clause on its own admits pre-releases by default: it names a pre-release version
     * with an operator that can select one. {@code !=} and wildcard clauses never do.
     */
    public boolean namesPrerelease() {
        switch (operator) {
            case NOT_EQUAL:
                return false;
            case ARBITRARY_EQUAL:
                return Version.tryParse(version).map(Version::isPrerelease).orElse(false);
            default:
                return !wildcard && target.isPrerelease();
        }
    }

    /** Whether {@code candidate} satisfies this clause, excluding pre-releases unless the clause names one. */
    public boolean contains(Version candidate) {
        return contains(candidate, namesPrerelease());
    }

    /** Whether {@code candidate} satisfies this clause; pre-releases are admitted only if {@code allowPrereleases}. */
    public boolean contains(Version candidate, boolean allowPrereleases) {
        Objects.requireNonNull(candidate, "candidate");
        return (allowPrereleases || !candidate.isPrerelease()) && matches(candidate);
    }

    /** The operator's rule alone, with no pre-release policy applied. */
    boolean matches(Version candidate) {
        switch (operator) {
            case ARBITRARY_EQUAL:
                return matchesArbitrary(candidate.toString());
            case EQUAL:
                return equalTo(candidate);
            case NOT_EQUAL:
                return !equalTo(candidate);
            case LESS_THAN_OR_EQUAL:
                // Specifiers cannot carry a local label, so candidates' labels are ignored entirely.
                return candidate.publicVersion().compareTo(target) <= 0;
            case GREATER_THAN_OR_EQUAL:
                return candidate.publicVersion().compareTo(target) >= 0;
            case LESS_THAN:
                return lessThan(candidate);
            case GREATER_THAN:
                return greaterThan(candidate);
            case COMPATIBLE:
                return compatible(candidate);
            default:
                throw new AssertionError(operator);
        }
    }

    /** {@code ===}: case-insensitive string equality, nothing else (no padding, no local rules). */
    boolean matchesArbitrary(String candidateText) {
        return candidateText.toLowerCase(Locale.ROOT).equals(version.toLowerCase(Locale.ROOT));
    }

    private boolean equalTo(Version candidate) {
        if (wildcard) {
            return candidate.hasReleasePrefix(target.epoch(), target.releaseArray());
        }
        // Without a local label in the clause, candidates' local labels are ignored.
        Version compared = target.hasLocal() ? candidate : candidate.publicVersion();
        return compared.equals(target);
    }

    private boolean lessThan(Version candidate) {
        if (candidate.compareTo(target) >= 0) {
            return false;
        }
        // <V must not admit a pre-release of V itself unless V is a pre-release; V.dev0 is the
        // earliest such pre-release, so anything at or above it belongs to V.
        return target.isPrerelease()
                || !candidate.isPrerelease()
                || candidate.compareTo(target.earliestPrerelease()) < 0;
    }

    private boolean greaterThan(Version candidate) {
        if (candidate.compareTo(target) <= 0) {
            return false;
        }
        // >V must not admit a post-release of V unless V is itself a post-release...
        if (!target.isPostrelease() && candidate.isPostrelease() && candidate.postBase().equals(target)) {
            return false;
        }
        // ...nor a local version of V.
        return !(candidate.hasLocal() && candidate.publicVersion().equals(target));
    }

    private boolean compatible(Version candidate) {
        // ~=V.N is >=V.N plus ==V.*; suffixes on the clause's version do not shorten the prefix.
        if (candidate.publicVersion().compareTo(target) < 0) {
            return false;
        }
        long[] release = target.releaseArray();
        long[] prefix = new long[release.length - 1];
        System.arraycopy(release, 0, prefix, 0, prefix.length);
        return candidate.hasReleasePrefix(target.epoch(), prefix);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Specifier other && operator == other.operator && version.equals(other.version);
    }

    @Override
    public int hashCode() {
        return 31 * operator.hashCode() + version.hashCode();
    }

    /** The normalised clause, e.g. {@code >=1.0} or {@code ==3.11.*}. */
    @Override
    public String toString() {
        return operator.symbol() + version;
    }

    static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\u000B';
    }

    static String strip(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && isSpace(s.charAt(start))) {
            start++;
        }
        while (end > start && isSpace(s.charAt(end - 1))) {
            end--;
        }
        return s.substring(start, end);
    }
}

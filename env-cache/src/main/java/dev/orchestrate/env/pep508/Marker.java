package dev.orchestrate.env.pep508;

import dev.orchestrate.env.pep440.Specifier;
import dev.orchestrate.env.pep440.SpecifierSet;
import dev.orchestrate.env.pep440.Version;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * A PEP 508 environment marker such as {@code python_version >= "3.8" and os_name == "posix"}.
 *
 * <p>{@link #toString()} is canonical: single spaces, double quotes (single quotes only when the
 * value itself contains a double quote), canonical variable names instead of legacy aliases,
 * normalised extra names, and only the parentheses the and/or precedence needs. Two markers are
 * equal when their canonical forms are.
 *
 * <p>Evaluation follows the dependency specifiers spec and {@code packaging.markers}: for the
 * version-typed variables ({@code python_version}, {@code python_full_version},
 * {@code implementation_version}, {@code platform_release}) a comparison uses PEP 440 rules when
 * both sides are versions; otherwise values are strings, where {@code ==}/{@code !=} are exact,
 * {@code in}/{@code not in} are substring tests, {@code <=}/{@code >=} mean equality,
 * {@code <}/{@code >} are false, and {@code ~=}/{@code ===} are errors.
 */
public final class Marker {

    private final MarkerExpr root;
    private final String text;

    private Marker(MarkerExpr root) {
        this.root = root;
        this.text = render(root, false);
    }

    static Marker of(MarkerExpr root) {
        return new Marker(root);
    }

    /**
     * Parses a marker expression. Unknown variables are rejected here, not at evaluation.
     *
     * @throws InvalidMarkerException with the position of the problem
     */
    public static Marker parse(String text) {
        Objects.requireNonNull(text, "text");
        return new Marker(Pep508Parser.parseMarker(text));
    }

    /** Like {@link #parse(String)} but returns empty instead of throwing. */
    public static Optional<Marker> tryParse(String text) {
        try {
            return Optional.of(parse(text));
        } catch (InvalidMarkerException e) {
            return Optional.empty();
        }
    }

    /**
     * Evaluates against {@code environment}. The {@code extra} variable is read from the map's
     * {@code "extra"} entry if present, and is the empty string otherwise.
     *
     * @throws MarkerEvaluationException if a referenced variable is missing or a comparison is undefined
     */
    public boolean evaluate(Map<String, String> environment) {
        Objects.requireNonNull(environment, "environment");
        String extra = environment.get(MarkerVariable.EXTRA.key());
        return evaluateWithExtra(environment, extra == null ? "" : extra);
    }

    /**
     * Evaluates against {@code environment} for an install that requested {@code extras}: true if
     * the marker holds for at least one requested extra (compared in normalised form), or, when
     * none were requested, with {@code extra} set to the empty string. This is how pip applies
     * {@code extra} markers.
     *
     * @throws MarkerEvaluationException if a referenced variable is missing or a comparison is undefined
     */
    public boolean evaluate(Map<String, String> environment, Set<String> extras) {
        Objects.requireNonNull(environment, "environment");
        Objects.requireNonNull(extras, "extras");
        if (extras.isEmpty()) {
            return evaluateWithExtra(environment, "");
        }
        boolean any = false;
        // Evaluate for every extra even after a match, so a broken marker fails the same way
        // whatever order the extras come in.
        for (String extra : new TreeSet<>(extras)) {
            any |= evaluateWithExtra(environment, extra);
        }
        return any;
    }

    public boolean evaluate(MarkerEnvironment environment) {
        return evaluate(environment.values(), Set.of());
    }

    public boolean evaluate(MarkerEnvironment environment, Set<String> extras) {
        return evaluate(environment.values(), extras);
    }

    /** The variables this marker reads, so callers can check an environment covers them. */
    public Set<MarkerVariable> variables() {
        Set<MarkerVariable> out = EnumSet.noneOf(MarkerVariable.class);
        collectVariables(root, out);
        return Collections.unmodifiableSet(out);
    }

    /** Both markers must hold. */
    public Marker and(Marker other) {
        return new Marker(combine(root, other.root, true));
    }

    /** Either marker must hold. */
    public Marker or(Marker other) {
        return new Marker(combine(root, other.root, false));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Marker other && text.equals(other.text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }

    /** The canonical form, e.g. {@code python_version >= "3.8" and (os_name == "nt" or os_name == "posix")}. */
    @Override
    public String toString() {
        return text;
    }

    // ---- evaluation ----

    private boolean evaluateWithExtra(Map<String, String> environment, String extra) {
        String normalizedExtra = extra.isEmpty() ? "" : PackageName.normalize(extra);
        Function<MarkerVariable, String> lookup = variable -> {
            if (variable == MarkerVariable.EXTRA) {
                return normalizedExtra;
            }
            String value = environment.get(variable.key());
            if (value == null) {
                throw new MarkerEvaluationException("Marker variable '" + variable.key()
                        + "' is not defined in the environment; known keys: " + new TreeSet<>(environment.keySet()));
            }
            // Non-tagged CPython builds report e.g. "3.13.0+", which is not a version; packaging
            // repairs it the same way so that version comparisons still work.
            if (variable == MarkerVariable.PYTHON_FULL_VERSION && value.endsWith("+")) {
                return value + "local";
            }
            return value;
        };
        return eval(root, lookup);
    }

    private static boolean eval(MarkerExpr e, Function<MarkerVariable, String> lookup) {
        // No short-circuiting: every comparison is checked, so missing variables and undefined
        // comparisons are reported regardless of the values of the other operands.
        if (e instanceof MarkerExpr.And and) {
            boolean all = true;
            for (MarkerExpr operand : and.operands()) {
                all &= eval(operand, lookup);
            }
            return all;
        }
        if (e instanceof MarkerExpr.Or or) {
            boolean any = false;
            for (MarkerExpr operand : or.operands()) {
                any |= eval(operand, lookup);
            }
            return any;
        }
        return compare((MarkerExpr.Compare) e, lookup);
    }

    private static boolean compare(MarkerExpr.Compare c, Function<MarkerVariable, String> lookup) {
        String left = value(c.left(), lookup);
        String right = value(c.right(), lookup);
        switch (c.op()) {
            case IN:
                return right.contains(left);
            case NOT_IN:
                return !right.contains(left);
            default:
                break;
        }
        if (isVersionLike(c.left()) || isVersionLike(c.right())) {
            Optional<Specifier> spec = Specifier.tryParse(c.op().symbol() + right);
            if (spec.isPresent()) {
                if (c.op() == MarkerExpr.Op.ARBITRARY_EQUAL) {
                    return SpecifierSet.of(spec.get()).contains(left, true);
                }
                Optional<Version> candidate = Version.tryParse(left);
                if (candidate.isPresent()) {
                    return spec.get().contains(candidate.get(), true);
                }
            }
        }
        switch (c.op()) {
            case EQUAL:
            case LESS_THAN_OR_EQUAL:
            case GREATER_THAN_OR_EQUAL:
                return left.equals(right);
            case NOT_EQUAL:
                return !left.equals(right);
            case LESS_THAN:
            case GREATER_THAN:
                // Strings have no ordering in markers (spec: "no ordering is assumed").
                return false;
            default:
                throw new MarkerEvaluationException("Undefined comparison '" + c.op().symbol() + "' between '"
                        + left + "' and '" + right + "' in marker: " + render(c, false)
                        + " (only defined when both sides are PEP 440 versions)");
        }
    }

    private static boolean isVersionLike(MarkerExpr.Operand operand) {
        return operand instanceof MarkerExpr.Variable v && v.variable().isVersionLike();
    }

    private static String value(MarkerExpr.Operand operand, Function<MarkerVariable, String> lookup) {
        if (operand instanceof MarkerExpr.Variable v) {
            return lookup.apply(v.variable());
        }
        return ((MarkerExpr.Literal) operand).value();
    }

    // ---- structure ----

    private static void collectVariables(MarkerExpr e, Set<MarkerVariable> out) {
        if (e instanceof MarkerExpr.And and) {
            and.operands().forEach(o -> collectVariables(o, out));
        } else if (e instanceof MarkerExpr.Or or) {
            or.operands().forEach(o -> collectVariables(o, out));
        } else {
            MarkerExpr.Compare c = (MarkerExpr.Compare) e;
            if (c.left() instanceof MarkerExpr.Variable v) {
                out.add(v.variable());
            }
            if (c.right() instanceof MarkerExpr.Variable v) {
                out.add(v.variable());
            }
        }
    }

    private static MarkerExpr combine(MarkerExpr a, MarkerExpr b, boolean conjunction) {
        List<MarkerExpr> operands = new ArrayList<>();
        for (MarkerExpr e : List.of(a, b)) {
            if (conjunction && e instanceof MarkerExpr.And and) {
                operands.addAll(and.operands());
            } else if (!conjunction && e instanceof MarkerExpr.Or or) {
                operands.addAll(or.operands());
            } else {
                operands.add(e);
            }
        }
        return conjunction ? new MarkerExpr.And(operands) : new MarkerExpr.Or(operands);
    }

    private static String render(MarkerExpr e, boolean insideAnd) {
        if (e instanceof MarkerExpr.And and) {
            return join(and.operands(), " and ", true);
        }
        if (e instanceof MarkerExpr.Or or) {
            String joined = join(or.operands(), " or ", false);
            // "and" binds tighter than "or", so an "or" operand of an "and" needs parentheses.
            return insideAnd ? "(" + joined + ")" : joined;
        }
        MarkerExpr.Compare c = (MarkerExpr.Compare) e;
        return operand(c.left()) + " " + c.op().symbol() + " " + operand(c.right());
    }

    private static String join(List<MarkerExpr> operands, String separator, boolean insideAnd) {
        StringBuilder sb = new StringBuilder();
        for (MarkerExpr operand : operands) {
            if (sb.length() > 0) {
                sb.append(separator);
            }
            sb.append(render(operand, insideAnd));
        }
        return sb.toString();
    }

    private static String operand(MarkerExpr.Operand operand) {
        if (operand instanceof MarkerExpr.Variable v) {
            return v.variable().key();
        }
        String value = ((MarkerExpr.Literal) operand).value();
        // A value can hold one kind of quote but never both (the grammar has no escapes).
        return value.indexOf('"') >= 0 ? "'" + value + "'" : "\"" + value + "\"";
    }
}

package dev.orchestrate.env.pep508;

import dev.orchestrate.env.pep440.InvalidSpecifierException;
import dev.orchestrate.env.pep440.Specifier;
import dev.orchestrate.env.pep440.SpecifierSet;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Recursive-descent parser for the PEP 508 grammar. Whitespace means only space and tab (the
 * grammar's {@code wsp}); anything else, including a newline, is a syntax error.
 */
final class Pep508Parser {

    /** Result of parsing a dependency specifier; {@code url} and {@code marker} may be null here only. */
    record Parsed(String name, List<String> extras, SpecifierSet specifier, String url, MarkerExpr marker) {
    }

    private static final String[] VERSION_OPERATORS = {"===", "~=", "==", "!=", "<=", ">=", "<", ">"};

    // Canonical names and legacy aliases, longest first so "platform_python_implementation" is
    // not mistaken for a shorter name.
    private static final List<String> VARIABLE_SPELLINGS = variableSpellings();

    private final String src;
    private final boolean requirementMode;
    private int pos;

    private Pep508Parser(String src, boolean requirementMode) {
        this.src = src;
        this.requirementMode = requirementMode;
    }

    static Parsed parseRequirement(String text) {
        return new Pep508Parser(text, true).requirement();
    }

    static MarkerExpr parseMarker(String text) {
        Pep508Parser p = new Pep508Parser(text, false);
        MarkerExpr expr = p.markerOr();
        p.skipWs();
        if (!p.atEnd()) {
            throw p.error("Expected end of marker expression", p.pos, p.pos);
        }
        return expr;
    }

    // ---- requirement ----

    private Parsed requirement() {
        skipWs();
        String name = identifier();
        if (name == null) {
            throw error("Expected package name at the start of dependency specifier", pos, pos);
        }
        skipWs();
        List<String> extras = extras();
        skipWs();
        String url = null;
        SpecifierSet specifier = SpecifierSet.empty();
        MarkerExpr marker = null;
        if (peek('@')) {
            pos++;
            skipWs();
            int urlStart = pos;
            // A URL cannot contain whitespace or control characters (RFC 3986), so it ends there.
            while (!atEnd() && src.charAt(pos) > ' ' && src.charAt(pos) != '\u007f') {
                pos++;
            }
            if (pos == urlStart) {
                throw error("Expected URL after @", pos, pos);
            }
            url = src.substring(urlStart, pos);
            // The URL swallows everything up to whitespace, so a marker needs whitespace before ';'.
            skipWs();
            if (!atEnd()) {
                if (!peek(';')) {
                    throw error("Expected semicolon (after URL and whitespace) or end", urlStart, pos);
                }
                pos++;
                marker = markerOr();
                skipWs();
            }
        } else {
            int specStart = pos;
            specifier = versionSpec();
            skipWs();
            if (!atEnd()) {
                if (!peek(';')) {
                    String expected = specifier.isEmpty()
                            ? "Expected version specifier, semicolon (after name with no version specifier) or end"
                            : "Expected comma (within version specifier), semicolon (after version specifier) or end";
                    throw error(expected, specStart, pos);
                }
                pos++;
                marker = markerOr();
                skipWs();
            }
        }
        if (!atEnd()) {
            throw error("Expected end of dependency specifier", pos, pos);
        }
        return new Parsed(name, extras, specifier, url, marker);
    }

    private List<String> extras() {
        List<String> extras = new ArrayList<>();
        if (!peek('[')) {
            return extras;
        }
        int open = pos++;
        skipWs();
        String first = identifier();
        if (first != null) {
            extras.add(first);
            while (true) {
                skipWs();
                if (startsIdentifier()) {
                    throw error("Expected comma between extra names", pos, pos);
                }
                if (!peek(',')) {
                    break;
                }
                pos++;
                skipWs();
                String next = identifier();
                if (next == null) {
                    throw error("Expected extra name after comma", pos, pos);
                }
                extras.add(next);
            }
        }
        skipWs();
        if (!peek(']')) {
            throw error("Expected matching ']' for '[', after extras", open, pos);
        }
        pos++;
        return extras;
    }

    private SpecifierSet versionSpec() {
        if (!peek('(')) {
            return versionMany();
        }
        int open = pos++;
        skipWs();
        SpecifierSet specs = versionMany();
        skipWs();
        if (!peek(')')) {
            throw error("Expected matching ')' for '(', after version specifier", open, pos);
        }
        pos++;
        return specs;
    }

    // version_many = version_one (',' version_one)* (',' wsp*)?  -- a trailing comma is allowed.
    private SpecifierSet versionMany() {
        List<Specifier> specs = new ArrayList<>();
        while (true) {
            int start = pos;
            String op = versionOperator();
            if (op == null) {
                break;
            }
            pos += op.length();
            skipWs();
            int versionStart = pos;
            if (op.equals("===")) {
                while (!atEnd() && isArbitraryVersionChar(src.charAt(pos))) {
                    pos++;
                }
            } else {
                while (!atEnd() && isVersionChar(src.charAt(pos))) {
                    pos++;
                }
            }
            if (pos == versionStart) {
                throw error("Expected a version after '" + op + "'", start, pos);
            }
            try {
                specs.add(Specifier.parse(src.substring(start, pos)));
            } catch (InvalidSpecifierException e) {
                throw error("Invalid version specifier '" + src.substring(start, pos) + "': " + e.reason(), start, pos);
            }
            skipWs();
            if (!peek(',')) {
                break;
            }
            pos++;
            skipWs();
        }
        return new SpecifierSet(specs);
    }

    private String versionOperator() {
        for (String op : VERSION_OPERATORS) {
            if (src.startsWith(op, pos)) {
                return op;
            }
        }
        return null;
    }

    // ---- markers ----

    private MarkerExpr markerOr() {
        List<MarkerExpr> operands = new ArrayList<>();
        addFlattened(operands, markerAnd(), MarkerExpr.Or.class);
        while (keyword("or")) {
            pos += 2;
            addFlattened(operands, markerAnd(), MarkerExpr.Or.class);
        }
        return operands.size() == 1 ? operands.get(0) : new MarkerExpr.Or(operands);
    }

    private MarkerExpr markerAnd() {
        List<MarkerExpr> operands = new ArrayList<>();
        addFlattened(operands, markerAtom(), MarkerExpr.And.class);
        while (keyword("and")) {
            pos += 3;
            addFlattened(operands, markerAtom(), MarkerExpr.And.class);
        }
        return operands.size() == 1 ? operands.get(0) : new MarkerExpr.And(operands);
    }

    // (a and b) and c is a and b and c: flattening keeps the canonical print free of redundant
    // parentheses without changing the meaning.
    private static void addFlattened(List<MarkerExpr> into, MarkerExpr e, Class<? extends MarkerExpr> kind) {
        if (kind == MarkerExpr.And.class && e instanceof MarkerExpr.And and) {
            into.addAll(and.operands());
        } else if (kind == MarkerExpr.Or.class && e instanceof MarkerExpr.Or or) {
            into.addAll(or.operands());
        } else {
            into.add(e);
        }
    }

    private MarkerExpr markerAtom() {
        skipWs();
        MarkerExpr result;
        if (peek('(')) {
            int open = pos++;
            skipWs();
            result = markerOr();
            skipWs();
            if (!peek(')')) {
                throw error("Expected matching ')' for '(', after marker expression", open, pos);
            }
            pos++;
        } else {
            result = markerItem();
        }
        skipWs();
        return result;
    }

    private MarkerExpr markerItem() {
        MarkerExpr.Operand left = markerOperand();
        skipWs();
        MarkerExpr.Op op = markerOp();
        skipWs();
        MarkerExpr.Operand right = markerOperand();
        // Extra names compare in normalised form (core metadata spec / PEP 685).
        if (left instanceof MarkerExpr.Variable v && v.variable() == MarkerVariable.EXTRA
                && right instanceof MarkerExpr.Literal lit) {
            right = new MarkerExpr.Literal(PackageName.normalize(lit.value()));
        } else if (right instanceof MarkerExpr.Variable v && v.variable() == MarkerVariable.EXTRA
                && left instanceof MarkerExpr.Literal lit) {
            left = new MarkerExpr.Literal(PackageName.normalize(lit.value()));
        }
        return new MarkerExpr.Compare(left, op, right);
    }

    private MarkerExpr.Operand markerOperand() {
        if (peek('\'') || peek('"')) {
            char quote = src.charAt(pos);
            int close = src.indexOf(quote, pos + 1);
            if (close < 0) {
                throw error("Unterminated string: missing closing " + quote, pos, src.length());
            }
            String value = src.substring(pos + 1, close);
            pos = close + 1;
            return new MarkerExpr.Literal(value);
        }
        for (String name : VARIABLE_SPELLINGS) {
            if (src.startsWith(name, pos) && !isWordChar(pos + name.length())) {
                pos += name.length();
                return new MarkerExpr.Variable(MarkerVariable.fromName(name).orElseThrow());
            }
        }
        int wordEnd = pos;
        while (wordEnd < src.length() && (isWordChar(wordEnd) || src.charAt(wordEnd) == '.')) {
            wordEnd++;
        }
        String word = src.substring(pos, wordEnd);
        // Only a word that could be a name gets the "unknown variable" message: keywords and
        // unquoted values (python_version >= 3.8) just lack a variable or quoted string.
        boolean nameLike = !word.isEmpty() && Character.isLetter(word.charAt(0))
                && !List.of("and", "or", "in", "not").contains(word);
        if (nameLike) {
            throw error("Unknown marker variable '" + src.substring(pos, wordEnd)
                    + "'; expected a marker variable or quoted string", pos, wordEnd);
        }
        throw error("Expected a marker variable or quoted string", pos, pos);
    }

    private MarkerExpr.Op markerOp() {
        if (keyword("in")) {
            pos += 2;
            return MarkerExpr.Op.IN;
        }
        if (keyword("not")) {
            pos += 3;
            if (atEnd() || !isWs(src.charAt(pos))) {
                throw error("Expected whitespace after 'not'", pos, pos);
            }
            skipWs();
            if (!keyword("in")) {
                throw error("Expected 'in' after 'not'", pos, pos);
            }
            pos += 2;
            return MarkerExpr.Op.NOT_IN;
        }
        for (String symbol : VERSION_OPERATORS) {
            if (src.startsWith(symbol, pos)) {
                pos += symbol.length();
                for (MarkerExpr.Op op : MarkerExpr.Op.values()) {
                    if (op.symbol().equals(symbol)) {
                        return op;
                    }
                }
            }
        }
        throw error("Expected marker operator, one of <=, <, !=, ==, >=, >, ~=, ===, in, not in", pos, pos);
    }

    // ---- lexical helpers ----

    /** PEP 508 identifier: starts and ends with an ASCII letter or digit; '.', '-', '_' only inside. */
    private String identifier() {
        if (!startsIdentifier()) {
            return null;
        }
        int start = pos;
        int end = pos + 1;
        int lastAlnum = pos;
        while (end < src.length()) {
            char c = src.charAt(end);
            if (isAlnum(c)) {
                lastAlnum = end;
            } else if (c != '.' && c != '-' && c != '_') {
                break;
            }
            end++;
        }
        pos = lastAlnum + 1;
        return src.substring(start, pos);
    }

    private boolean startsIdentifier() {
        return !atEnd() && isAlnum(src.charAt(pos));
    }

    /** The word at pos, not followed by a word character ("in" must not match "index"). */
    private boolean keyword(String word) {
        return src.startsWith(word, pos) && !isWordChar(pos + word.length());
    }

    private boolean isWordChar(int index) {
        if (index >= src.length()) {
            return false;
        }
        char c = src.charAt(index);
        return isAlnum(c) || c == '_';
    }

    private boolean peek(char c) {
        return pos < src.length() && src.charAt(pos) == c;
    }

    private boolean atEnd() {
        return pos >= src.length();
    }

    private void skipWs() {
        while (pos < src.length() && isWs(src.charAt(pos))) {
            pos++;
        }
    }

    private static boolean isWs(char c) {
        return c == ' ' || c == '\t';
    }

    private static boolean isAlnum(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    }

    // The grammar's version characters: letterOrDigit | '-' | '_' | '.' | '*' | '+' | '!'.
    private static boolean isVersionChar(char c) {
        return isAlnum(c) || c == '-' || c == '_' || c == '.' || c == '*' || c == '+' || c == '!';
    }

    // An arbitrary (===) version runs to the next separator that the requirement grammar needs.
    private static boolean isArbitraryVersionChar(char c) {
        return !isWs(c) && c != ',' && c != ';' && c != ')' && c != '\n' && c != '\r';
    }

    private IllegalArgumentException error(String reason, int spanStart, int position) {
        return requirementMode
                ? new InvalidRequirementException(src, reason, spanStart, position)
                : new InvalidMarkerException(src, reason, spanStart, position);
    }

    private static List<String> variableSpellings() {
        List<String> out = new ArrayList<>();
        for (MarkerVariable v : MarkerVariable.values()) {
            out.add(v.key());
            out.addAll(v.aliases());
        }
        out.sort(Comparator.comparingInt(String::length).reversed());
        return List.copyOf(out);
    }
}

package dev.orchestrate.env.pep440;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An immutable PEP 440 version.
 *
 * <p>{@link #parse(String)} accepts every spelling the specification's permissive grammar accepts
 * and {@link #toString()} gives the normalised form. Ordering, {@link #equals(Object)} and
 * {@link #hashCode()} all follow PEP 440, so {@code 1.0}, {@code 1.0.0} and {@code v1} are equal
 * even though they print differently.
 *
 * <p>Numeric components are held as {@code long}; a component above {@link Long#MAX_VALUE} is
 * rejected with an {@link InvalidVersionException} rather than silently wrapped. Numeric local
 * segments have no such limit.
 */
public final class Version implements Comparable<Version> {

    // The permissive grammar from the specification's appendix. Java's \s is exactly the ASCII
    // whitespace set the spec says to ignore, and CASE_INSENSITIVE without UNICODE_CASE only folds
    // ASCII, so no exotic Unicode spellings sneak in. Longer pre-release words come first in the
    // alternation so the regex prefers them when both would lead to a full match.
    private static final Pattern PERMISSIVE = Pattern.compile(
            "\\s*v?"
                    + "(?:(?<epoch>[0-9]+)!)?"
                    + "(?<release>[0-9]+(?:\\.[0-9]+)*)"
                    + "(?<pre>[-_.]?(?<preL>alpha|a|beta|b|preview|pre|c|rc)[-_.]?(?<preN>[0-9]+)?)?"
                    + "(?<post>-(?<postN1>[0-9]+)|[-_.]?(?<postL>post|rev|r)[-_.]?(?<postN2>[0-9]+)?)?"
                    + "(?<dev>[-_.]?dev[-_.]?(?<devN>[0-9]+)?)?"
                    + "(?:\\+(?<local>[a-z0-9]+(?:[-_.][a-z0-9]+)*))?"
                    + "\\s*",
            Pattern.CASE_INSENSITIVE);

    private static final Pattern CANONICAL = Pattern.compile(
            "([1-9][0-9]*!)?(0|[1-9][0-9]*)(\\.(0|[1-9][0-9]*))*((a|b|rc)(0|[1-9][0-9]*))?"
                    + "(\\.post(0|[1-9][0-9]*))?(\\.dev(0|[1-9][0-9]*))?");

    private static final Pattern LOCAL_SEPARATOR = Pattern.compile("[-_.]");

    private static final long ABSENT = -1;

    private final long epoch;
    private final long[] release;
    private final PreRelease pre; // null when absent; never exposed as null
    private final long post; // ABSENT or >= 0
    private final long dev; // ABSENT or >= 0
    private final List<LocalSegment> local;
    private final int significantLength; // release length without trailing zeros
    private final String text;
    private final int hash;

    private Version(long epoch, long[] release, PreRelease pre, long post, long dev, List<LocalSegment> local) {
        this.epoch = epoch;
        this.release = release;
        this.pre = pre;
        this.post = post;
        this.dev = dev;
        this.local = local;
        int n = release.length;
        while (n > 0 && release[n - 1] == 0) {
            n--;
        }
        this.significantLength = n;
        this.text = render();
        this.hash = computeHash();
    }

    /**
     * Parses a version using PEP 440's permissive rules (leading {@code v}, alternative spellings,
     * optional separators, implicit numbers, case-insensitivity, surrounding whitespace).
     *
     * @throws InvalidVersionException if the text is not a PEP 440 version
     */
    public static Version parse(String text) {
        Objects.requireNonNull(text, "text");
        Matcher m = PERMISSIVE.matcher(text);
        if (!m.matches()) {
            throw new InvalidVersionException(text, "does not match the PEP 440 version grammar");
        }
        long epoch = m.group("epoch") == null ? 0 : number(text, m.group("epoch"));
        String[] parts = m.group("release").split("\\.");
        long[] release = new long[parts.length];
        for (int i = 0; i < parts.length; i++) {
            release[i] = number(text, parts[i]);
        }
        PreRelease pre = null;
        if (m.group("pre") != null) {
            pre = new PreRelease(preKind(m.group("preL")), optionalNumber(text, m.group("preN")));
        }
        long post = ABSENT;
        if (m.group("postN1") != null) {
            post = number(text, m.group("postN1"));
        } else if (m.group("postL") != null) {
            post = optionalNumber(text, m.group("postN2"));
        }
        long dev = m.group("dev") == null ? ABSENT : optionalNumber(text, m.group("devN"));
        List<LocalSegment> local = List.of();
        if (m.group("local") != null) {
            List<LocalSegment> segments = new ArrayList<>();
            for (String part : LOCAL_SEPARATOR.split(m.group("local"))) {
                segments.add(LocalSegment.of(part));
            }
            local = Collections.unmodifiableList(segments);
        }
        return new Version(epoch, release, pre, post, dev, local);
    }

    /** Like {@link #parse(String)} but returns empty instead of throwing. */
    public static Optional<Version> tryParse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(parse(text));
        } catch (InvalidVersionException e) {
            return Optional.empty();
        }
    }

    /** True when {@link #parse(String)} would accept the text. */
    public static boolean isValid(String text) {
        return tryParse(text).isPresent();
    }

    /**
     * True when the text is already in canonical public form (the specification's strict regex):
     * no local label, no alternative spellings, no leading zeros.
     */
    public static boolean isCanonical(String text) {
        return text != null && CANONICAL.matcher(text).matches();
    }

    /** A final release with epoch 0, e.g. {@code Version.of(3, 11)}. */
    public static Version of(long... release) {
        if (release.length == 0) {
            throw new IllegalArgumentException("a release needs at least one component");
        }
        for (long component : release) {
            if (component < 0) {
                throw new IllegalArgumentException("release components must be non-negative");
            }
        }
        return new Version(0, release.clone(), null, ABSENT, ABSENT, List.of());
    }

    public long epoch() {
        return epoch;
    }

    /** The release segment as written (trailing zeros kept; they do not affect comparison). */
    public List<Long> release() {
        List<Long> out = new ArrayList<>(release.length);
        for (long component : release) {
            out.add(component);
        }
        return Collections.unmodifiableList(out);
    }

    /** Release component {@code index}, or 0 beyond the end, matching the spec's zero padding. */
    public long releaseComponent(int index) {
        return index < release.length ? release[index] : 0;
    }

    public long major() {
        return releaseComponent(0);
    }

    public long minor() {
        return releaseComponent(1);
    }

    public long micro() {
        return releaseComponent(2);
    }

    public Optional<PreRelease> pre() {
        return Optional.ofNullable(pre);
    }

    public OptionalLong post() {
        return post == ABSENT ? OptionalLong.empty() : OptionalLong.of(post);
    }

    public OptionalLong dev() {
        return dev == ABSENT ? OptionalLong.empty() : OptionalLong.of(dev);
    }

    /** Normalised local label segments; empty when there is no local label. */
    public List<LocalSegment> local() {
        return local;
    }

    /** The normalised local label without the {@code +}, e.g. {@code ubuntu.1}. */
    public Optional<String> localLabel() {
        if (local.isEmpty()) {
            return Optional.empty();
        }
        StringBuilder sb = new StringBuilder();
        for (LocalSegment segment : local) {
            if (sb.length() > 0) {
                sb.append('.');
            }
            sb.append(segment.value());
        }
        return Optional.of(sb.toString());
    }

    public boolean hasLocal() {
        return !local.isEmpty();
    }

    /** Pre-releases include developmental releases, as PEP 440 says they are handled alike. */
    public boolean isPrerelease() {
        return pre != null || dev != ABSENT;
    }

    public boolean isPostrelease() {
        return post != ABSENT;
    }

    public boolean isDevrelease() {
        return dev != ABSENT;
    }

    /** This version without its local label. */
    public Version publicVersion() {
        return local.isEmpty() ? this : new Version(epoch, release, pre, post, dev, List.of());
    }

    /** Epoch and release only, e.g. {@code 1!2.0} for {@code 1!2.0rc1.post2+x}. */
    public Version baseVersion() {
        if (pre == null && post == ABSENT && dev == ABSENT && local.isEmpty()) {
            return this;
        }
        return new Version(epoch, release, null, ABSENT, ABSENT, List.of());
    }

    // ---- building blocks for the specifier rules (package-private on purpose) ----

    /** The earliest pre-release of this version, i.e. this version as {@code .dev0} without local. */
    Version earliestPrerelease() {
        return new Version(epoch, release, pre, post, 0, List.of());
    }

    /** The version this is a post-release of: drops post, dev and local. */
    Version postBase() {
        return new Version(epoch, release, pre, ABSENT, ABSENT, List.of());
    }

    /** Same release prefix test as {@code ==prefix.*}: epoch equal and zero-padded release starts with it. */
    boolean hasReleasePrefix(long prefixEpoch, long[] prefix) {
        if (epoch != prefixEpoch) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (releaseComponent(i) != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    long[] releaseArray() {
        return release.clone();
    }

    @Override
    public int compareTo(Version other) {
        int c = Long.compare(epoch, other.epoch);
        if (c != 0) {
            return c;
        }
        int n = Math.max(significantLength, other.significantLength);
        for (int i = 0; i < n; i++) {
            c = Long.compare(releaseComponent(i), other.releaseComponent(i));
            if (c != 0) {
                return c;
            }
        }
        c = Integer.compare(preRank(), other.preRank());
        if (c != 0) {
            return c;
        }
        if (pre != null) {
            c = Long.compare(pre.number(), other.pre.number());
            if (c != 0) {
                return c;
            }
        }
        // ABSENT (-1) sorts below every real post number, as "no post" must.
        c = Long.compare(post, other.post);
        if (c != 0) {
            return c;
        }
        // "No dev" sorts above every dev number, including Long.MAX_VALUE.
        c = Boolean.compare(dev == ABSENT, other.dev == ABSENT);
        if (c != 0) {
            return c;
        }
        c = Long.compare(dev, other.dev);
        if (c != 0) {
            return c;
        }
        return compareLocal(local, other.local);
    }

    // dev-only releases (1.0.dev1) sort before every pre-release of the same release; releases
    // without a pre-release segment sort after them.
    private int preRank() {
        if (pre == null) {
            return post == ABSENT && dev != ABSENT ? -1 : PreRelease.Kind.values().length;
        }
        return pre.kind().ordinal();
    }

    private static int compareLocal(List<LocalSegment> a, List<LocalSegment> b) {
        int n = Math.min(a.size(), b.size());
        for (int i = 0; i < n; i++) {
            int c = a.get(i).compareTo(b.get(i));
            if (c != 0) {
                return c;
            }
        }
        // No label sorts first; otherwise a longer label that extends a shorter one sorts after it.
        return Integer.compare(a.size(), b.size());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Version other && hash == other.hash && compareTo(other) == 0;
    }

    @Override
    public int hashCode() {
        return hash;
    }

    private int computeHash() {
        int h = Long.hashCode(epoch);
        for (int i = 0; i < significantLength; i++) {
            h = 31 * h + Long.hashCode(release[i]);
        }
        h = 31 * h + Objects.hashCode(pre);
        h = 31 * h + Long.hashCode(post);
        h = 31 * h + Long.hashCode(dev);
        h = 31 * h + local.hashCode();
        return h;
    }

    /** The normalised form, e.g. {@code 1!2.0rc1.post0.dev3+ubuntu.1}. */
    @Override
    public String toString() {
        return text;
    }

    private String render() {
        StringBuilder sb = new StringBuilder();
        if (epoch != 0) {
            sb.append(epoch).append('!');
        }
        for (int i = 0; i < release.length; i++) {
            if (i > 0) {
                sb.append('.');
            }
            sb.append(release[i]);
        }
        if (pre != null) {
            sb.append(pre);
        }
        if (post != ABSENT) {
            sb.append(".post").append(post);
        }
        if (dev != ABSENT) {
            sb.append(".dev").append(dev);
        }
        localLabel().ifPresent(label -> sb.append('+').append(label));
        return sb.toString();
    }

    private static PreRelease.Kind preKind(String spelling) {
        switch (spelling.toLowerCase(Locale.ROOT)) {
            case "a":
            case "alpha":
                return PreRelease.Kind.ALPHA;
            case "b":
            case "beta":
                return PreRelease.Kind.BETA;
            default: // c, rc, pre, preview
                return PreRelease.Kind.RELEASE_CANDIDATE;
        }
    }

    private static long optionalNumber(String input, String digits) {
        return digits == null ? 0 : number(input, digits);
    }

    private static long number(String input, String digits) {
        try {
            return Long.parseLong(digits);
        } catch (NumberFormatException e) {
            throw new InvalidVersionException(input, "numeric component " + digits + " exceeds " + Long.MAX_VALUE);
        }
    }
}

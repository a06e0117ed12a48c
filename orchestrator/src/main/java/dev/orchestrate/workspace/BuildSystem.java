package dev.orchestrate.workspace;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A member's {@code [build-system]} table, as written (or the PEP 517/518 default when the table
 * or the whole {@code pyproject.toml} is missing).
 *
 * @param requires      {@code build-system.requires}, the PEP 508 strings as written
 * @param backend       {@code build-backend} in the {@code module:object} or {@code module} form
 * @param backendPath   {@code backend-path} entries as written, each relative to the member dir
 * @param pep517Default true when no {@code [build-system]} table was given, so both
 *                      {@code requires} and {@code backend} are the defaults
 */
public record BuildSystem(List<String> requires, String backend, List<String> backendPath, boolean pep517Default) {

    /** The backend a frontend uses when none is named (PEP 517, "legacy" fallback). */
    public static final String LEGACY_BACKEND = "setuptools.build_meta:__legacy__";

    /**
     * The requirements a frontend assumes when there is no {@code [build-system]} table. pypa/build
     * uses exactly this; pip also adds {@code wheel}, which setuptools asks for anyway through
     * {@code get_requires_for_build_wheel} when it needs it.
     */
    public static final List<String> DEFAULT_REQUIRES = List.of("setuptools>=40.8.0");

    // A Python dotted name: identifiers separated by dots. Python identifiers may be non-ASCII.
    private static final String IDENTIFIER = "[\\p{L}\\p{Nl}_][\\p{L}\\p{Nl}\\p{Mn}\\p{Mc}\\p{Nd}\\p{Pc}]*";
    private static final String DOTTED = IDENTIFIER + "(?:\\." + IDENTIFIER + ")*";
    private static final Pattern BACKEND = Pattern.compile(DOTTED + "(?::" + DOTTED + ")?");

    public BuildSystem {
        requires = List.copyOf(requireNonNull(requires, "requires"));
        requireNonNull(backend, "backend");
        backendPath = List.copyOf(requireNonNull(backendPath, "backendPath"));
        if (!isValidBackend(backend)) {
            throw new IllegalArgumentException("invalid build-backend `" + backend + "`");
        }
    }

    /** The build system a frontend assumes for a project without a {@code [build-system]} table. */
    public static BuildSystem defaults() {
        return new BuildSystem(DEFAULT_REQUIRES, LEGACY_BACKEND, List.of(), true);
    }

    /**
     * Whether {@code backend} has the {@code module.path} or {@code module.path:object.path} form
     * that the hook runner can import, with no surrounding whitespace.
     */
    public static boolean isValidBackend(String backend) {
        return BACKEND.matcher(backend).matches();
    }

    /** The module to import, e.g. {@code setuptools.build_meta}. */
    public String backendModule() {
        int colon = backend.indexOf(':');
        return colon < 0 ? backend : backend.substring(0, colon);
    }

    /** The attribute path inside the module, e.g. {@code __legacy__}, when the backend names one. */
    public Optional<String> backendObject() {
        int colon = backend.indexOf(':');
        return colon < 0 ? Optional.empty() : Optional.of(backend.substring(colon + 1));
    }

    /** Whether the backend is loaded from the member's own tree ({@code backend-path} is set). */
    public boolean inTreeBackend() {
        return !backendPath.isEmpty();
    }
}

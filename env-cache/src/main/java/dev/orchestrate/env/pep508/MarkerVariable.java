package dev.orchestrate.env.pep508;

import java.util.List;
import java.util.Optional;

/**
 * The variables a PEP 508 marker may reference, with the legacy dotted spellings that are still
 * accepted when parsing (they always print in their canonical form).
 */
public enum MarkerVariable {
    IMPLEMENTATION_NAME("implementation_name", Type.STRING),
    IMPLEMENTATION_VERSION("implementation_version", Type.VERSION),
    OS_NAME("os_name", Type.STRING, "os.name"),
    PLATFORM_MACHINE("platform_machine", Type.STRING, "platform.machine"),
    PLATFORM_PYTHON_IMPLEMENTATION("platform_python_implementation", Type.STRING,
            "platform.python_implementation", "python_implementation"),
    PLATFORM_RELEASE("platform_release", Type.VERSION_OR_STRING),
    PLATFORM_SYSTEM("platform_system", Type.STRING),
    PLATFORM_VERSION("platform_version", Type.STRING, "platform.version"),
    PYTHON_FULL_VERSION("python_full_version", Type.VERSION),
    PYTHON_VERSION("python_version", Type.VERSION),
    SYS_PLATFORM("sys_platform", Type.STRING, "sys.platform"),
    /** Set by the context (the extra being installed), never read from the interpreter. */
    EXTRA("extra", Type.STRING);

    /** How comparisons on the variable are defined (the "Type" column of the spec's table). */
    public enum Type {
        /** Compared as PEP 440 versions when both sides are versions. */
        VERSION,
        /** Compared as versions when both sides are versions, otherwise as strings. */
        VERSION_OR_STRING,
        /** Compared as strings only. */
        STRING
    }

    private final String key;
    private final Type type;
    private final List<String> aliases;

    MarkerVariable(String key, Type type, String... aliases) {
        this.key = key;
        this.type = type;
        this.aliases = List.of(aliases);
    }

    /** The canonical name, which is also the environment key. */
    public String key() {
        return key;
    }

    public Type type() {
        return type;
    }

    /** Legacy spellings accepted when parsing. */
    public List<String> aliases() {
        return aliases;
    }

    /** Variables whose comparisons use PEP 440 rules when both sides parse as versions. */
    public boolean isVersionLike() {
        return type != Type.STRING;
    }

    /** The variable spelled exactly {@code name} (canonical or legacy spelling). */
    public static Optional<MarkerVariable> fromName(String name) {
        for (MarkerVariable v : values()) {
            if (v.key.equals(name) || v.aliases.contains(name)) {
                return Optional.of(v);
            }
        }
        return Optional.empty();
    }
}

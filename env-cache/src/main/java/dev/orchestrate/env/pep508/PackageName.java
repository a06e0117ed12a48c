package dev.orchestrate.env.pep508;

import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/** Distribution and extra names: validity per the core metadata spec, normalisation per PEP 503. */
public final class PackageName {

    private static final Pattern VALID =
            Pattern.compile("[A-Z0-9]|[A-Z0-9][A-Z0-9._-]*[A-Z0-9]", Pattern.CASE_INSENSITIVE);
    private static final Pattern NORMALIZED = Pattern.compile("[a-z0-9]|[a-z0-9](?:[a-z0-9]|-(?!-))*[a-z0-9]");
    private static final Pattern SEPARATOR_RUN = Pattern.compile("[-_.]+");

    private PackageName() {
    }

    /** PEP 503 normal form: lower case, every run of {@code -}, {@code _} and {@code .} replaced by one {@code -}. */
    public static String normalize(String name) {
        Objects.requireNonNull(name, "name");
        return SEPARATOR_RUN.matcher(name.toLowerCase(Locale.ROOT)).replaceAll("-");
    }

    /** ASCII letters and digits, with {@code .}, {@code _}, {@code -} allowed only between them. */
    public static boolean isValid(String name) {
        return name != null && VALID.matcher(name).matches();
    }

    /** True when {@link #normalize(String)} would return the name unchanged and the name is valid. */
    public static boolean isNormalized(String name) {
        return name != null && NORMALIZED.matcher(name).matches();
    }
}

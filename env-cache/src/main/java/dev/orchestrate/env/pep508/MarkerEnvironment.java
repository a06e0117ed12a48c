package dev.orchestrate.env.pep508;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A snapshot of the marker variables of one target interpreter. {@link #KEYS} lists exactly what to
 * collect from it ({@code extra} is not among them: it comes from the install context).
 */
public record MarkerEnvironment(Map<String, String> values) {

    /** The environment keys every complete snapshot must have, in the spec's table order. */
    public static final List<String> KEYS = List.of(
            "os_name",
            "sys_platform",
            "platform_machine",
            "platform_python_implementation",
            "platform_release",
            "platform_system",
            "platform_version",
            "python_version",
            "python_full_version",
            "implementation_name",
            "implementation_version");

    /** @throws IllegalArgumentException if a key from {@link #KEYS} is missing or any value is null */
    public MarkerEnvironment {
        Objects.requireNonNull(values, "values");
        List<String> missing = new ArrayList<>();
        for (String key : KEYS) {
            if (!values.containsKey(key)) {
                missing.add(key);
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("marker environment is missing " + missing);
        }
        values.forEach((k, v) -> {
            if (k == null || v == null) {
                throw new IllegalArgumentException("marker environment has a null key or value for " + k);
            }
        });
        // Sorted so equal environments print and hash alike wherever they came from.
        values = Collections.unmodifiableMap(new TreeMap<>(values));
    }

    public static MarkerEnvironment of(Map<String, String> values) {
        return new MarkerEnvironment(values);
    }

    public Optional<String> get(String key) {
        return Optional.ofNullable(values.get(key));
    }
}

package dev.orchestrate.graph;

import static java.util.Objects.requireNonNull;

/**
 * {@code from} needs the wheel of {@code to} in its build environment.
 *
 * @param from        the member that is built second
 * @param to          the member whose wheel it needs
 * @param requirement why: the {@code build-system.requires} entry as written, or what a
 *                    {@code get_requires_for_build_*} hook returned for an edge found at run time
 */
public record Edge(String from, String to, String requirement) {
    public Edge {
        requireNonNull(from, "from");
        requireNonNull(to, "to");
        requireNonNull(requirement, "requirement");
    }
}

/**
 * Finds the members of a Python monorepo and reads each member's {@code pyproject.toml} into a
 * {@link dev.orchestrate.workspace.Member}, reporting what is wrong as
 * {@link dev.orchestrate.workspace.MemberProblem}s that name the file, line, column and key.
 */
package dev.orchestrate.workspace;

/**
 * Wheel compatibility: tags ({@code cp311-cp311-manylinux_2_36_x86_64}), wheel and sdist file
 * names, the ranked tags an interpreter supports, and {@code Requires-Python} checks.
 */
package dev.orchestrate.env.tags;

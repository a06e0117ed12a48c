/** The command line: {@code orchestrate build-all}, {@code build}, {@code graph}, {@code completion}, {@code agent}... */
package dev.orchestrate.cli;

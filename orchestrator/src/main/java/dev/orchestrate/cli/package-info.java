/** The command line: {@code orchestrate build-all}, {@code build}, {@code graph}. */
package dev.orchestrate.cli;

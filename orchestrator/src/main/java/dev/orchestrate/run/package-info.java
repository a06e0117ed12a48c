/** One invocation of {@code build-all} or {@code build}: from a workspace root to an exit code. */
package dev.orchestrate.run;

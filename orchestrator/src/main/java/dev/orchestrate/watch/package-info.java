/**
 * {@code orchestrate watch}: an initial build, then a rebuild of what changed each time sources
 * change. Changes come from the operating system's file watching (Java's WatchService, every
 * source directory registered) or, where that is not available, from polling the tree's stamps;
 * bursts are debounced into one cycle, and each cycle is an incremental build, so only the
 * changed members and their dependents are rebuilt.
 */
package dev.orchestrate.watch;

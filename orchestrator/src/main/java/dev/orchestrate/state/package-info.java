/**
 * Incremental builds: what goes into a package's input hash (its source files, build spec,
 * environment key, settings, interpreter and the input hashes of the members it needs at build
 * time), the per-file digest cache that lets a no-op run read no file content, and the state
 * store in the cache directory that remembers each package's last successful build, its
 * artifacts (with copies, to restore deleted outputs) and the inputs it was built from (to
 * explain a rebuild).
 */
package dev.orchestrate.state;

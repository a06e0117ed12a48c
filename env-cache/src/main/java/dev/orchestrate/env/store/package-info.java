/**
 * The persistent cache of build environments: keys that are digests of the interpreter and the
 * requirement set, a versioned directory layout, locks, and atomic publication.
 */
package dev.orchestrate.env.store;

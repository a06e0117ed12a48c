/**
 * The persistent cache: build environments under keys that are digests of the interpreter and
 * the requirement set, the content-addressed wheel store they are linked from, versioned bucket
 * directories, locks (exclusive to make an entry, shared while an environment is in use), atomic
 * publication, and the catalogue that lists and collects environments.
 */
package dev.orchestrate.env.store;

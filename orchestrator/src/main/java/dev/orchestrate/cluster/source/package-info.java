/**
 * Source identity across machines: which files make a member's source (the incremental-build
 * rules: git's ignores, no outputs, no caches), their digests, the build-cache key when the run
 * computes no input hash of its own, and how a coordinator's member directory maps into an
 * agent's {@code --workspace}.
 */
package dev.orchestrate.cluster.source;

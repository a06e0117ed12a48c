/**
 * The build agent: {@code orchestrate agent}. It joins the cluster, registers what it offers,
 * and builds the tasks coordinators lease to it from its own checkout ({@code --workspace}),
 * after checking that its tree is the coordinator's; it renews each lease while it works, fetches
 * the member wheels a build needs, serves what it built, and records it in the build cache.
 */
package dev.orchestrate.cluster.agent;

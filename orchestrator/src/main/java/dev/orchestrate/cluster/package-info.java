/**
 * Cluster mode: one {@code build-all} spread over build agents. Hazelcast is the Vert.x cluster
 * manager (the clustered event bus carries tasks, replies and lease renewals) and holds the
 * shared state in distributed maps and locks: the agent registry, task leases, the environment
 * registry and the build cache index. Sub-packages: {@code source} (tree identity), {@code registry}
 * (agents and environments), {@code lease}, {@code transfer} (artifacts over HTTP, the build cache),
 * {@code coordinator} and {@code agent} (the two roles).
 */
package dev.orchestrate.cluster;

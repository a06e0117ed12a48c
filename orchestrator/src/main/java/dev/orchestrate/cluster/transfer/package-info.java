/**
 * Artifacts between machines, never whole on the event bus: each node serves files over HTTP
 * (an ephemeral port on the cluster interface, an unguessable path) and fetches with the Vert.x
 * WebClient, verifying sha256 and size before an atomic rename. Agents serve what they built,
 * the coordinator the member wheels a dependent needs. The build cache index (input hash to
 * artifacts and who holds them) lives in a Hazelcast map.
 */
package dev.orchestrate.cluster.transfer;

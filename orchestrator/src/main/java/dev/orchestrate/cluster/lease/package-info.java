/**
 * Task leases: a package given to an agent is held by it only while it answers the coordinator's
 * renewals (it still holds the task); a lease that expires, or whose agent leaves the cluster,
 * sends the package back to the queue, and a late answer under a lost lease is discarded.
 */
package dev.orchestrate.cluster.lease;

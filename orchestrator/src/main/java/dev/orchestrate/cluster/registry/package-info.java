/**
 * The cluster's registries in Hazelcast maps: the agents and what each offers (slots,
 * interpreter, platform, where it serves artifacts), and the environments by key (the pins the
 * first resolver chose, which agents hold them), with the environment builder that makes every
 * agent install a key's pins instead of resolving it again.
 */
package dev.orchestrate.cluster.registry;

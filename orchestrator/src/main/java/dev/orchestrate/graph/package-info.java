/**
 * The build-requirement graph between workspace members (a member whose
 * {@code build-system.requires} names another member needs that member's wheel first), its
 * orders and cycles, and how {@code orchestrate graph} renders it.
 */
package dev.orchestrate.graph;

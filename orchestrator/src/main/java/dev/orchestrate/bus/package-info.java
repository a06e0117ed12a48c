/**
 * The scheduler–executor boundary: event-bus addresses, the records that cross it, and their
 * codec. Executors may live in this process or on other machines; nothing else crosses.
 */
package dev.orchestrate.bus;

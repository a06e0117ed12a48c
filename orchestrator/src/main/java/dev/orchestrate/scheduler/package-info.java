/**
 * The scheduler: releases packages whose build-time dependencies are built, at most N at a time,
 * over the event bus, and stops the dependents of failures.
 */
package dev.orchestrate.scheduler;

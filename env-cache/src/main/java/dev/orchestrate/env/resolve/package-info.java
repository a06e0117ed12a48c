/**
 * Resolution: from a set of requirements to one version of each distribution they need,
 * transitively, for one interpreter — highest compatible versions first, backtracking on
 * conflicts, and errors that name the chain of requirements behind them.
 */
package dev.orchestrate.env.resolve;

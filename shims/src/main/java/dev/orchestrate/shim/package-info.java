/**
 * The Python hook runner and the Java side of its protocol: one hook call in one fresh subprocess
 * ({@link dev.orchestrate.shim.HookRunner}) or in a child forked from a warm per-backend server
 * ({@link dev.orchestrate.shim.ForkServerRunner}), both behind {@link dev.orchestrate.shim.HookCaller}.
 */
package dev.orchestrate.shim;

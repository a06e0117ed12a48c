/** The Python hook runner and the Java side of its protocol: one hook call in one fresh subprocess. */
package dev.orchestrate.shim;

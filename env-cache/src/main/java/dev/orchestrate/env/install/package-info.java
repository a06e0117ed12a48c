/**
 * Making a build environment: natively ({@link dev.orchestrate.env.install.NativeEnvironmentBuilder}:
 * a copied venv template, wheels unpacked and byte-compiled once into the store and hard-linked
 * in), or with pip (the previous installer, kept for comparison in the benchmark).
 */
package dev.orchestrate.env.install;

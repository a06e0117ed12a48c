/**
 * Where distributions come from: flat find-links directories and PEP 503/691 simple indexes,
 * behind one {@link dev.orchestrate.env.index.PackageSource} interface.
 */
package dev.orchestrate.env.index;

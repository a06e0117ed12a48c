/**
 * Where distributions come from: flat find-links directories ({@link
 * dev.orchestrate.env.index.FindLinksSource}) and PEP 503/691 simple indexes over HTTP(S) ({@link
 * dev.orchestrate.env.index.SimpleIndexSource}), behind one {@link
 * dev.orchestrate.env.index.PackageSource} interface; {@link dev.orchestrate.env.index.SourceSet}
 * puts a run's sources together (find-links first, {@code --offline}). Credentials come from index
 * URLs or {@code .netrc} and never appear in a message.
 */
package dev.orchestrate.env.index;

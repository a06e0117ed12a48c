package dev.orchestrate.env.store;

import java.util.Objects;

/**
 * One requirement of a build environment, in two forms: how it enters the key, and what the
 * installer is given. They differ for workspace members: the key names the member's wheel by its
 * sha256 (so a changed member makes a new environment), the installer gets the wheel's path.
 *
 * @param keyForm canonical text, e.g. {@code setuptools>=61} or {@code house-backend @ sha256:ab12...}
 * @param installArg the argument for the installer, e.g. {@code house-backend @ file:///.../x.whl}
 * @param origin who asked for it, for messages only (never part of the key), e.g.
 *     {@code alpha's build-system.requires}; "" when unknown
 */
public record EnvRequirement(String keyForm, String installArg, String origin) {
  public EnvRequirement {
    Objects.requireNonNull(keyForm, "keyForm");
    Objects.requireNonNull(installArg, "installArg");
    Objects.requireNonNull(origin, "origin");
  }

  public EnvRequirement(String keyForm, String installArg) {
    this(keyForm, installArg, "");
  }

  /** {@link #origin()} for a message: "the build requirements" when unknown. */
  public String describeOrigin() {
    return origin.isEmpty() ? "the build requirements" : origin;
  }
}

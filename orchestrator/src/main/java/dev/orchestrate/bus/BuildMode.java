package dev.orchestrate.bus;

/** What to build for a package. */
public enum BuildMode {
  /** The sdist, then the wheel from the unpacked sdist (the default, as pypa/build does). */
  SDIST_AND_WHEEL,
  /** Only the wheel, straight from the source tree ({@code --wheel-only}). */
  WHEEL_ONLY
}

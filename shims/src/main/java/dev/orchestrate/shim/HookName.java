package dev.orchestrate.shim;

/** The PEP 517 / PEP 660 hooks, by the names a backend defines them under. */
public enum HookName {
  GET_REQUIRES_FOR_BUILD_SDIST("get_requires_for_build_sdist"),
  BUILD_SDIST("build_sdist"),
  GET_REQUIRES_FOR_BUILD_WHEEL("get_requires_for_build_wheel"),
  PREPARE_METADATA_FOR_BUILD_WHEEL("prepare_metadata_for_build_wheel"),
  BUILD_WHEEL("build_wheel"),
  GET_REQUIRES_FOR_BUILD_EDITABLE("get_requires_for_build_editable"),
  PREPARE_METADATA_FOR_BUILD_EDITABLE("prepare_metadata_for_build_editable"),
  BUILD_EDITABLE("build_editable");

  private final String pythonName;

  HookName(String pythonName) {
    this.pythonName = pythonName;
  }

  /** The attribute name on the backend object. */
  public String pythonName() {
    return pythonName;
  }

  @Override
  public String toString() {
    return pythonName;
  }
}

package dev.orchestrate.state;

/** One difference between the inputs of a package's last successful build and its inputs now. */
public sealed interface InputChange {
  /** One line a person reads, e.g. {@code file `src/alpha/core.py` modified}. */
  String describe();

  record FileAdded(String path) implements InputChange {
    @Override
    public String describe() {
      return "file `" + path + "` added";
    }
  }

  record FileRemoved(String path) implements InputChange {
    @Override
    public String describe() {
      return "file `" + path + "` removed";
    }
  }

  record FileModified(String path) implements InputChange {
    @Override
    public String describe() {
      return "file `" + path + "` modified";
    }
  }

  record FileRenamed(String from, String to) implements InputChange {
    @Override
    public String describe() {
      return "file `" + from + "` renamed to `" + to + "`";
    }
  }

  /** A setting ({@code backend}, {@code requires}, {@code config-settings}...); "" when absent. */
  record SettingChanged(String key, String before, String after) implements InputChange {
    @Override
    public String describe() {
      return "setting `" + key + "` changed: " + shown(before) + " -> " + shown(after);
    }

    private static String shown(String value) {
      String v = value.isEmpty() ? "(none)" : value;
      return v.length() > 100 ? v.substring(0, 97) + "..." : v;
    }
  }

  /** A member this package needs at build time has other inputs than last time. */
  record DependencyChanged(String member, String beforeHash, String afterHash) implements InputChange {
    @Override
    public String describe() {
      return "dependency `" + member + "` changed";
    }
  }

  record DependencyAdded(String member) implements InputChange {
    @Override
    public String describe() {
      return "new build dependency `" + member + "`";
    }
  }

  record DependencyRemoved(String member) implements InputChange {
    @Override
    public String describe() {
      return "no longer needs `" + member + "` at build time";
    }
  }
}

package dev.orchestrate.env.index;

import java.util.Objects;

/**
 * A user name and password for HTTP Basic authentication. {@link #toString()} never shows either:
 * credentials must not reach a message, a log or an exception.
 */
public record Credentials(String username, String password) {

  public Credentials {
    Objects.requireNonNull(username, "username");
    Objects.requireNonNull(password, "password");
  }

  /** Replaces every occurrence of the user name or password in {@code text} with {@code ***}. */
  public String scrub(String text) {
    String out = text;
    // Longest first, so that a password containing the user name is hidden whole.
    String first = password.length() >= username.length() ? password : username;
    String second = first == password ? username : password;
    for (String secret : new String[] {first, second}) {
      if (secret.length() >= 3) {
        out = out.replace(secret, "***");
      }
    }
    return out;
  }

  @Override
  public String toString() {
    return "Credentials[***]";
  }
}

package dev.orchestrate.env.index;

/**
 * A package source could not answer: an index unreachable or answering with an error, a page that
 * cannot be read, a download whose hash does not match, the network refused by {@code --offline}.
 * Messages name the project and the source, never credentials.
 */
public class IndexException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public IndexException(String message) {
    super(message);
  }

  /** Why a download was refused: the bytes are not the ones the index promised. */
  public static final class HashMismatch extends IndexException {
    private static final long serialVersionUID = 1L;

    public HashMismatch(String message) {
      super(message);
    }
  }

  /** {@code --offline} forbids the network and the answer needed it. */
  public static final class Offline extends IndexException {
    private static final long serialVersionUID = 1L;

    public Offline(String message) {
      super(message);
    }
  }
}

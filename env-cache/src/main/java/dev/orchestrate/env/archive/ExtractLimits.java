package dev.orchestrate.env.archive;

/**
 * Ceilings that defeat zip and gzip bombs: extraction stops (and is undone) as soon as the bytes
 * actually written or the number of entries read pass them. Declared sizes are checked too, but
 * never trusted, since a zip's declared size is whatever its author wrote.
 *
 * @param maxTotalBytes bytes of file content written, hard-link copies included
 * @param maxEntries archive entries of every kind, directories included
 */
public record ExtractLimits(long maxTotalBytes, int maxEntries) {

  /** Generous enough for any real sdist or wheel (the largest wheels are a few GiB). */
  public static final ExtractLimits DEFAULTS = new ExtractLimits(4L << 30, 200_000);

  public ExtractLimits {
    if (maxTotalBytes <= 0) {
      throw new IllegalArgumentException("maxTotalBytes must be positive: " + maxTotalBytes);
    }
    if (maxEntries <= 0) {
      throw new IllegalArgumentException("maxEntries must be positive: " + maxEntries);
    }
  }

  public ExtractLimits withMaxTotalBytes(long bytes) {
    return new ExtractLimits(bytes, maxEntries);
  }

  public ExtractLimits withMaxEntries(int entries) {
    return new ExtractLimits(maxTotalBytes, entries);
  }
}

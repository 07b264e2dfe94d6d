package org.periodicbackups.destination.glacier;

/**
 * How fast (and how expensively) Glacier makes an archive readable. Typical times on AWS: expedited
 * 1–5 minutes, standard 3–5 hours, bulk 5–12 hours.
 */
public enum RetrievalTier {
  /** 1–5 minutes, the most expensive; may be refused when capacity is short. */
  EXPEDITED("Expedited"),
  /** 3–5 hours; the default. */
  STANDARD("Standard"),
  /** 5–12 hours, the cheapest. */
  BULK("Bulk");

  private final String apiName;

  RetrievalTier(String apiName) {
    this.apiName = apiName;
  }

  /** The name in Glacier's API: {@code Expedited}, {@code Standard}, {@code Bulk}. */
  public String apiName() {
    return apiName;
  }

  /** Parses a tier name in any case; throws naming the known ones. */
  public static RetrievalTier parse(String text) {
    for (RetrievalTier tier : values()) {
      if (tier.apiName.equalsIgnoreCase(text.strip())) {
        return tier;
      }
    }
    throw new IllegalArgumentException("use Expedited, Standard or Bulk");
  }

  @Override
  public String toString() {
    return apiName;
  }
}

package org.periodicbackups.core.restore;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.periodicbackups.api.ConfigurationException;
import org.periodicbackups.core.config.Json;

/**
 * What reading files back from each storage class costs, by retrieval tier, for a restore plan's
 * estimate ({@link RetrievalPlan}). The built-in table ({@code retrieval-prices.json} beside this
 * class, documented in the README) holds AWS's us-east-1 list prices; {@link #read} takes a user's
 * table of the same shape for other regions, agreements or stores.
 *
 * @param source where the prices come from, printed with every estimate
 * @param currency such as {@code USD}
 * @param transferOutPerGiB data transfer out of the cloud to the internet, per GiB
 * @param classes storage class → tier ({@code Instant} for classes read without a retrieval) →
 *     price, in the table's order
 */
public record RetrievalPrices(
    String source,
    String currency,
    double transferOutPerGiB,
    Map<String, Map<String, Price>> classes) {

  /** The tier of classes whose objects are read without a retrieval request. */
  public static final String INSTANT = "Instant";

  /**
   * One tier's price and wait.
   *
   * @param perGiB retrieval charge per GiB read
   * @param perThousandRequests charge per 1,000 retrieval (or GET) requests
   * @param typicalWait how long it usually takes, for people ({@code typically 3-5 hours})
   */
  public record Price(double perGiB, double perThousandRequests, String typicalWait) {
    /** The price of retrieving {@code files} files of {@code bytes} bytes in all. */
    public double of(int files, long bytes) {
      return perGiB * bytes / (1024.0 * 1024 * 1024) + perThousandRequests * files / 1000.0;
    }
  }

  public RetrievalPrices {
    requireNonNull(source, "source is null");
    requireNonNull(currency, "currency is null");
    classes = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(classes));
  }

  /** The built-in table. */
  public static RetrievalPrices builtIn() {
    try (InputStream in = RetrievalPrices.class.getResourceAsStream("retrieval-prices.json")) {
      return parse(Json.mapper().readTree(in), "the built-in price table");
    } catch (IOException e) {
      throw new UncheckedIOException("the built-in price table cannot be read", e);
    }
  }

  /**
   * A user's table, of the built-in table's shape.
   *
   * @throws ConfigurationException naming the file and each problem
   */
  public static RetrievalPrices read(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new ConfigurationException(
          "price table "
              + file
              + " does not exist (--prices takes a JSON file of the built-in"
              + " table's shape, see the README)");
    }
    JsonNode root;
    try {
      root = Json.mapper().readTree(Files.readString(file));
    } catch (IOException e) {
      throw new ConfigurationException(
          "price table " + file + " is not readable JSON: " + e.getMessage());
    }
    return parse(root, "price table " + file);
  }

  private static RetrievalPrices parse(JsonNode root, String where) {
    List<String> problems = new ArrayList<>();
    if (root == null || !root.isObject()) {
      throw new ConfigurationException(where + ": expected a JSON object");
    }
    Map<String, Map<String, Price>> classes = new LinkedHashMap<>();
    JsonNode classNodes = root.path("Classes");
    if (!classNodes.isObject() || classNodes.isEmpty()) {
      problems.add(where + ": \"Classes\" must be an object of storage classes");
    }
    classNodes
        .fields()
        .forEachRemaining(
            c -> {
              Map<String, Price> tiers = new LinkedHashMap<>();
              c.getValue()
                  .fields()
                  .forEachRemaining(
                      t -> {
                        JsonNode p = t.getValue();
                        String at = where + ": Classes." + c.getKey() + "." + t.getKey();
                        if (!p.path("PerGiB").isNumber()
                            || !p.path("PerThousandRequests").isNumber()) {
                          problems.add(at + " needs numbers PerGiB and PerThousandRequests");
                          return;
                        }
                        tiers.put(
                            t.getKey(),
                            new Price(
                                p.get("PerGiB").asDouble(),
                                p.get("PerThousandRequests").asDouble(),
                                p.path("Wait").asText("unknown")));
                      });
              classes.put(c.getKey(), tiers);
            });
    if (!problems.isEmpty()) {
      throw new ConfigurationException(problems);
    }
    return new RetrievalPrices(
        root.path("Source").asText(where),
        root.path("Currency").asText("USD"),
        root.path("TransferOutPerGiB").asDouble(0),
        classes);
  }

  /** The tiers of {@code storageClass}, empty when the table does not know the class. */
  public Map<String, Price> tiers(String storageClass) {
    return classes.getOrDefault(storageClass, Map.of());
  }

  /** The price of {@code tier} for {@code storageClass}, if the table has it. */
  public Optional<Price> price(String storageClass, String tier) {
    return Optional.ofNullable(tiers(storageClass).get(tier));
  }
}

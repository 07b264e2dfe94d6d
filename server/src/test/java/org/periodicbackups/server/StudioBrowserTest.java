package org.periodicbackups.server;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.options.SelectOption;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.periodicbackups.core.config.SetupDocuments;
import org.periodicbackups.core.scheduler.BundleActivation;

/**
 * The Studio in a real browser: Debian's Chromium driven by Playwright, which must never download a
 * browser (the machine has no network for that). Skipped, saying so, without {@code
 * /usr/bin/chromium} ({@code apt-get install -y chromium}).
 */
class StudioBrowserTest {
  private static final Path CHROMIUM = Paths.get("/usr/bin/chromium");
  private static final String SECRET = "studioSecretValue/NeverShown+42";

  private static Playwright playwright;
  private static Browser browser;

  @TempDir Path folder;

  @BeforeAll
  static void launchChromium() {
    if (!Files.isExecutable(CHROMIUM)) {
      String reason =
          "SKIPPED StudioBrowserTest: "
              + CHROMIUM
              + " is missing; install it with 'apt-get install -y chromium'";
      System.err.println(reason);
      Assumptions.abort(reason);
    }
    playwright =
        Playwright.create(
            new Playwright.CreateOptions().setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
    browser =
        playwright
            .chromium()
            .launch(
                new BrowserType.LaunchOptions()
                    .setExecutablePath(CHROMIUM)
                    .setHeadless(true)
                    .setArgs(
                        List.of(
                            "--headless",
                            "--no-sandbox",
                            "--disable-gpu",
                            "--disable-background-networking",
                            "--disable-component-update",
                            "--disable-sync",
                            "--no-first-run")));
  }

  @AfterAll
  static void closeChromium() {
    if (playwright != null) {
      playwright.close(); // closes the browser too
    }
  }

  @AfterEach
  void closePages() {
    browser.contexts().forEach(BrowserContext::close); // stops their status polling
  }

  /** A new page (its own browser context) showing {@code path} of {@code server}. */
  private static Page open(TestServer server, String path) {
    Page page = browser.newPage();
    page.navigate(server.baseUrl + path);
    return page;
  }

  @Test
  @DisplayName("create a database with the bundle, set up backups, back up now, see the status")
  void setsUpAndBacksUpFromThePage() throws Exception {
    try (TestServer server = TestServer.loopback(folder)) {
      Page page = open(server, "/");
      assertThat(page.locator("h1")).hasText("Periodic Backups Studio");

      page.fill("#new-db-name", "shop");
      page.check("#new-db-bundle");
      page.click("#create-db");
      assertThat(page.locator("#db-name")).hasText("shop");
      assertThat(page.locator("#databases tbody tr")).hasCount(1);
      assertThat(page.locator("#databases tbody tr td").nth(4)).hasText("on");
      assertThat(page.locator("#setup-form"))
          .containsText("A Glacier vault takes precedence over an S3 bucket");

      // A bad value: the server's message appears next to its field, and nothing is saved.
      page.fill("#IntervalMilliseconds-amount", "-5");
      page.click("#save-setup");
      Locator intervalError = page.locator(".field-error[data-error-for=IntervalMilliseconds]");
      assertThat(intervalError).containsText("positive");

      // Intervals are typed in hours and days; the document keeps milliseconds.
      Path backups = folder.resolve("backups");
      page.fill("#IntervalMilliseconds-amount", "2");
      page.selectOption("#IntervalMilliseconds-unit", new SelectOption().setLabel("hours"));
      page.fill("#FullBackupIntervalMilliseconds-amount", "1");
      page.selectOption(
          "#FullBackupIntervalMilliseconds-unit", new SelectOption().setLabel("days"));
      page.fill("#LocalFolderName", backups.toString());
      page.fill("#AwsAccessKey", "AKIASTUDIO");
      page.fill("#AwsSecretKey", SECRET);
      page.click("#save-setup");
      assertThat(page.locator("#setup-message")).hasText("saved");
      assertThat(intervalError).isEmpty();
      assertThat(page.locator("#AwsSecretKey")).hasValue("");
      assertThat(page.locator("#AwsSecretKey"))
          .hasAttribute("placeholder", "(stored; type to replace)");
      assertThat(server.store.open("shop").setting("Raven/AWSSecretKey")).hasValue(SECRET);
      JsonNode stored = storedSetup(server, "shop");
      assertThat(stored.get("IntervalMilliseconds").asLong()).isEqualTo(7_200_000L);
      assertThat(stored.get("FullBackupIntervalMilliseconds").asLong()).isEqualTo(86_400_000L);
      assertThat(stored.has("RetentionMinimumAgeMilliseconds")).isFalse();

      server.send("PUT", "/databases/shop/docs/users/1", "{\"Body\":{\"Name\":\"Ann\"}}");
      page.click("#backup-now");
      assertThat(page.locator("#backup-message")).containsText("Full backup of 'shop'");
      Locator history = page.locator("#history tbody tr");
      assertThat(history).hasCount(1);
      assertThat(history.first()).containsText(".full.json.gz");
      assertThat(page.locator("#status-summary")).containsText("Last full backup");
      assertThat(page.content()).doesNotContain(SECRET);

      // The chart is drawn from the status document: one bar per history entry, named by it.
      JsonNode status = getJson(server, "/databases/shop/status");
      Locator bars = page.locator("#history-chart rect.bar");
      assertThat(bars).hasCount(status.get("History").size());
      assertThat(bars.first())
          .hasAttribute("data-file", status.get("History").get(0).get("FileName").asText());
      assertThat(bars.first())
          .hasAttribute("data-size", status.get("History").get(0).get("Size").asText());
      assertThat(page.locator("#history-chart polyline.duration")).hasCount(1);
      assertThat(page.locator("#recovery-summary dd[data-item='RPO now']"))
          .containsText("since the last backup");
      assertThat(page.locator("#recovery-summary dd[data-item='Last proven restorable']"))
          .hasText("never drilled");

      // A drill from the page proves the chain and the recovery summary says up to where.
      page.click("#drill-now");
      assertThat(page.locator("#drill-message")).hasText("Proved from local copy filesystem");
      JsonNode drill = getJson(server, "/databases/shop/status").get("LastDrill");
      assertThat(page.locator("#recovery-summary dd[data-item='Last proven restorable']"))
          .containsText("up to etag " + drill.get("Etag").asLong());
      assertThat(page.locator("#recovery-summary dd[data-item='Predicted restore time']"))
          .containsText("documents/s in the last drill");

      Files.createDirectories(Path.of("target"));
      page.screenshot(
          new Page.ScreenshotOptions().setPath(Path.of("target", "studio.png")).setFullPage(true));
    }
  }

  @Test
  @DisplayName("a stored setup shows in minutes, hours and days, and saves back unchanged")
  void showsStoredMillisecondsInHumanUnits() throws Exception {
    try (TestServer server = TestServer.loopback(folder)) {
      server.send("POST", "/databases", "{\"Name\":\"shop\"}");
      String document =
          "{\"LocalFolderName\":"
              + JsonBodies.MAPPER.writeValueAsString(folder.resolve("backups").toString())
              + ",\"IntervalMilliseconds\":5400000,\"FullBackupIntervalMilliseconds\":86400000"
              + ",\"RetentionKeepChains\":3,\"RetentionMinimumAgeMilliseconds\":604800000"
              + ",\"Compression\":\"zstd\"}";
      assertThat(server.send("PUT", "/databases/shop/setup", document).statusCode()).isEqualTo(200);
      JsonNode before = storedSetup(server, "shop");
      Page page = open(server, "/");
      page.click("#databases tbody tr[data-name=shop] button");

      assertDuration(page, "IntervalMilliseconds", "90", "minutes");
      assertDuration(page, "FullBackupIntervalMilliseconds", "1", "days");
      assertDuration(page, "RetentionMinimumAgeMilliseconds", "7", "days");
      assertThat(page.locator("#RetentionKeepChains")).hasValue("3");

      // Fields the form does not show (Compression) are kept.
      page.click("#save-setup");
      assertThat(page.locator("#setup-message")).hasText("saved");
      assertThat(storedSetup(server, "shop")).isEqualTo(before);
      assertThat(before.get("Compression").asText()).isEqualTo("zstd");
    }
  }

  @Test
  @DisplayName("S3 storage classes, Object Lock and encryption are saved, shown again and cleared")
  void editsS3OptionsAndEncryption() throws Exception {
    try (TestServer server = TestServer.loopback(folder)) {
      server.send("POST", "/databases", "{\"Name\":\"shop\"}");
      String document =
          "{\"S3BucketName\":\"backups\",\"Destinations\":{"
              + "\"s3\":{\"PartSizeMiB\":\"16\"},\"filesystem\":{\"Kept\":\"yes\"}}}";
      assertThat(server.send("PUT", "/databases/shop/setup", document).statusCode()).isEqualTo(200);
      JsonNode before = storedSetup(server, "shop");
      Page page = open(server, "/");
      page.click("#databases tbody tr[data-name=shop] button");
      assertThat(page.locator("#s3-StorageClass")).hasValue("");
      assertThat(page.locator("#s3-ObjectLockDays")).hasValue("");
      assertThat(page.locator("#Encryption")).hasValue("");
      assertThat(page.locator("#destinations")).containsText("Destinations.filesystem is not used");

      // A lock mode without days: the form says so next to the field and saves nothing.
      page.selectOption("#s3-StorageClass", "STANDARD_IA");
      page.selectOption("#s3-FullStorageClass", "GLACIER_IR");
      page.selectOption("#s3-IncrementalStorageClass", "STANDARD");
      page.selectOption("#s3-ObjectLockMode", "GOVERNANCE");
      page.selectOption("#Encryption", "aes-256-gcm-hkdf");
      page.click("#save-setup");
      Locator daysError = page.locator(lockDaysError());
      assertThat(daysError).containsText("required with an Object Lock mode");
      assertThat(page.locator("#setup-message")).hasText("not saved");
      assertThat(storedSetup(server, "shop")).isEqualTo(before);

      page.fill("#s3-ObjectLockDays", "0");
      page.click("#save-setup");
      assertThat(daysError).containsText("'0' is not valid; expected a whole number of days");
      assertThat(storedSetup(server, "shop")).isEqualTo(before);

      page.fill("#s3-ObjectLockDays", "30");
      page.click("#save-setup");
      assertThat(page.locator("#setup-message")).hasText("saved");
      assertThat(daysError).isEmpty();
      JsonNode stored = storedSetup(server, "shop");
      assertThat(stored.get("Destinations").get("s3"))
          .isEqualTo(
              json(
                  "{\"PartSizeMiB\":\"16\",\"StorageClass\":\"STANDARD_IA\","
                      + "\"FullStorageClass\":\"GLACIER_IR\",\"IncrementalStorageClass\":\"STANDARD\","
                      + "\"ObjectLockMode\":\"GOVERNANCE\",\"ObjectLockDays\":\"30\"}"));
      assertThat(stored.get("Destinations").get("filesystem"))
          .isEqualTo(json("{\"Kept\":\"yes\"}"));
      assertThat(stored.get("Encryption").asText()).isEqualTo("aes-256-gcm-hkdf");

      page.reload();
      page.click("#databases tbody tr[data-name=shop] button");
      assertThat(page.locator("#s3-StorageClass")).hasValue("STANDARD_IA");
      assertThat(page.locator("#s3-FullStorageClass")).hasValue("GLACIER_IR");
      assertThat(page.locator("#s3-IncrementalStorageClass")).hasValue("STANDARD");
      assertThat(page.locator("#s3-ObjectLockMode")).hasValue("GOVERNANCE");
      assertThat(page.locator("#s3-ObjectLockDays")).hasValue("30");
      assertThat(page.locator("#Encryption")).hasValue("aes-256-gcm-hkdf");

      // Days without a mode are refused too.
      page.selectOption("#s3-ObjectLockMode", "");
      page.click("#save-setup");
      assertThat(daysError).containsText("needs an Object Lock mode");
      assertThat(storedSetup(server, "shop")).isEqualTo(stored);

      // Cleared fields remove their keys; the entries the form does not edit stay.
      page.fill("#s3-ObjectLockDays", "");
      page.selectOption("#s3-StorageClass", "");
      page.selectOption("#s3-FullStorageClass", "");
      page.selectOption("#s3-IncrementalStorageClass", "");
      page.selectOption("#Encryption", "none");
      page.click("#save-setup");
      assertThat(page.locator("#setup-message")).hasText("saved");
      assertThat(daysError).isEmpty();
      JsonNode cleared = storedSetup(server, "shop");
      assertThat(cleared.get("Destinations"))
          .isEqualTo(json("{\"s3\":{\"PartSizeMiB\":\"16\"},\"filesystem\":{\"Kept\":\"yes\"}}"));
      assertThat(cleared.get("Encryption").asText()).isEqualTo("none");
    }
  }

  @Test
  @DisplayName(
      "clearing every S3 option drops the s3 entry; the default encryption removes the key")
  void clearedS3OptionsDropTheEntry() throws Exception {
    try (TestServer server = TestServer.loopback(folder)) {
      server.send("POST", "/databases", "{\"Name\":\"shop\"}");
      String document =
          "{\"S3BucketName\":\"backups\",\"Encryption\":\"none\",\"Destinations\":{\"s3\":"
              + "{\"StorageClass\":\"GLACIER\",\"ObjectLockMode\":\"COMPLIANCE\","
              + "\"ObjectLockDays\":\"7\"}}}";
      assertThat(server.send("PUT", "/databases/shop/setup", document).statusCode()).isEqualTo(200);
      Page page = open(server, "/");
      page.click("#databases tbody tr[data-name=shop] button");
      assertThat(page.locator("#s3-StorageClass")).hasValue("GLACIER");
      assertThat(page.locator("#s3-FullStorageClass")).hasValue("");
      assertThat(page.locator("#s3-ObjectLockMode")).hasValue("COMPLIANCE");
      assertThat(page.locator("#s3-ObjectLockDays")).hasValue("7");
      assertThat(page.locator("#Encryption")).hasValue("none");

      page.selectOption("#s3-StorageClass", "");
      page.selectOption("#s3-ObjectLockMode", "");
      page.fill("#s3-ObjectLockDays", "");
      page.selectOption("#Encryption", "");
      page.click("#save-setup");
      assertThat(page.locator("#setup-message")).hasText("saved");
      JsonNode stored = storedSetup(server, "shop");
      assertThat(stored.has("Destinations")).as("Destinations in %s", stored).isFalse();
      assertThat(stored.has("Encryption")).as("Encryption in %s", stored).isFalse();
      assertThat(stored.get("S3BucketName").asText()).isEqualTo("backups");
    }
  }

  @Test
  @DisplayName(
      "the server's error about an S3 option shows next to its field; a stored value is kept")
  void showsTheServersErrorNextToAnS3Option() throws Exception {
    try (TestServer server = TestServer.loopback(folder)) {
      server.send("POST", "/databases", "{\"Name\":\"shop\"}");
      // Written past the API's validation, as an older or hand-edited document might be.
      server
          .store
          .open("shop")
          .putSystemDocument(
              SetupDocuments.KEY,
              "{\"S3BucketName\":\"backups\",\"Destinations\":{\"s3\":"
                  + "{\"StorageClass\":\"BOGUS\"}}}");
      Page page = open(server, "/");
      page.click("#databases tbody tr[data-name=shop] button");
      assertThat(page.locator("#s3-StorageClass")).hasValue("BOGUS");
      assertThat(page.locator("#s3-StorageClass option:checked")).hasText("BOGUS (stored)");

      page.click("#save-setup");
      Locator error = page.locator(".field-error[data-error-for='Destinations.s3.StorageClass']");
      assertThat(error).containsText("'BOGUS' is not valid; expected one of");
      assertThat(page.locator("#setup-message")).hasClass("message error");

      page.selectOption("#s3-StorageClass", "DEEP_ARCHIVE");
      page.click("#save-setup");
      assertThat(page.locator("#setup-message")).hasText("saved");
      assertThat(error).isEmpty();
      assertThat(storedSetup(server, "shop").get("Destinations"))
          .isEqualTo(json("{\"s3\":{\"StorageClass\":\"DEEP_ARCHIVE\"}}"));
      assertThat(page.locator("#s3-StorageClass option[data-stored]")).hasCount(0);
    }
  }

  private static String lockDaysError() {
    return ".field-error[data-error-for='Destinations.s3.ObjectLockDays']";
  }

  private static JsonNode json(String text) throws Exception {
    return JsonBodies.MAPPER.readTree(text);
  }

  private static void assertDuration(Page page, String field, String amount, String unit) {
    assertThat(page.locator("#" + field + "-amount")).hasValue(amount);
    assertThat(page.locator("#" + field + "-unit option:checked")).hasText(unit);
  }

  private static JsonNode getJson(TestServer server, String path) throws Exception {
    HttpResponse<String> response = server.send("GET", path, null);
    assertThat(response.statusCode()).isEqualTo(200);
    return JsonBodies.MAPPER.readTree(response.body());
  }

  private static JsonNode storedSetup(TestServer server, String database) throws Exception {
    return JsonBodies.MAPPER.readTree(
        server.store.open(database).getSystemDocument(SetupDocuments.KEY).orElseThrow());
  }

  @Test
  @DisplayName("with the bundle active globally, the checkbox is shown checked and locked")
  void globalBundleLocksTheCheckbox(@TempDir Path other) throws Exception {
    try (TestServer server =
        new TestServer(other, ServerOptions.loopback(0), BundleActivation.everywhere())) {
      Page page = open(server, "/studio/index.html");
      assertThat(page.locator("#new-db-bundle")).isChecked();
      assertThat(page.locator("#new-db-bundle")).isDisabled();
      assertThat(page.locator("#bundle-global-note")).isVisible();
    }
  }
}

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

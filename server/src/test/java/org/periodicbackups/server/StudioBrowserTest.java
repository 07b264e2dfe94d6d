package org.periodicbackups.server;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.periodicbackups.core.scheduler.BundleActivation;

/**
 * The Studio in a real browser: Debian's Chromium driven by Playwright, which must never
 * download a browser (the machine has no network for that). Skipped, saying so, without
 * {@code /usr/bin/chromium} ({@code apt-get install -y chromium}).
 */
class StudioBrowserTest {
  private static final Path CHROMIUM = Paths.get("/usr/bin/chromium");
  private static final String SECRET = "studioSecretValue/NeverShown+42";

  @TempDir Path folder;

  @BeforeEach
  void needsChromium() {
    if (!Files.isExecutable(CHROMIUM)) {
      String reason = "SKIPPED StudioBrowserTest: " + CHROMIUM
          + " is missing; install it with 'apt-get install -y chromium'";
      System.err.println(reason);
      Assumptions.abort(reason);
    }
  }

  private static Browser launch(Playwright playwright) {
    return playwright.chromium().launch(new BrowserType.LaunchOptions()
        .setExecutablePath(CHROMIUM)
        .setHeadless(true)
        .setArgs(List.of("--headless", "--no-sandbox", "--disable-gpu",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--no-first-run")));
  }

  private static Playwright playwright() {
    return Playwright.create(new Playwright.CreateOptions()
        .setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
  }

  @Test
  @DisplayName("create a database with the bundle, set up backups, back up now, see the status")
  void setsUpAndBacksUpFromThePage() throws Exception {
    try (TestServer server = TestServer.loopback(folder);
        Playwright playwright = playwright();
        Browser browser = launch(playwright)) {
      Page page = browser.newPage();
      page.navigate(server.baseUrl + "/");
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
      page.fill("#IntervalMilliseconds", "-5");
      page.click("#save-setup");
      Locator intervalError = page.locator(".field-error[data-error-for=IntervalMilliseconds]");
      assertThat(intervalError).containsText("positive");

      Path backups = folder.resolve("backups");
      page.fill("#IntervalMilliseconds", "3600000");
      page.fill("#FullBackupIntervalMilliseconds", "86400000");
      page.fill("#LocalFolderName", backups.toString());
      page.fill("#AwsAccessKey", "AKIASTUDIO");
      page.fill("#AwsSecretKey", SECRET);
      page.click("#save-setup");
      assertThat(page.locator("#setup-message")).hasText("saved");
      assertThat(intervalError).isEmpty();
      assertThat(page.locator("#AwsSecretKey")).hasValue("");
      assertThat(page.locator("#AwsSecretKey")).hasAttribute("placeholder",
          "(stored; type to replace)");
      assertThat(server.store.open("shop").setting("Raven/AWSSecretKey")).hasValue(SECRET);

      page.click("#backup-now");
      assertThat(page.locator("#backup-message")).containsText("Full backup of 'shop'");
      Locator history = page.locator("#history tbody tr");
      assertThat(history).hasCount(1);
      assertThat(history.first()).containsText(".full.json.gz");
      assertThat(page.locator("#status-summary")).containsText("Last full backup");
      assertThat(page.content()).doesNotContain(SECRET);

      Files.createDirectories(Path.of("target"));
      page.screenshot(new Page.ScreenshotOptions().setPath(Path.of("target", "studio.png"))
          .setFullPage(true));
    }
  }

  @Test
  @DisplayName("with the bundle active globally, the checkbox is shown checked and locked")
  void globalBundleLocksTheCheckbox(@TempDir Path other) throws Exception {
    try (TestServer server = new TestServer(other, ServerOptions.loopback(0),
            BundleActivation.everywhere());
        Playwright playwright = playwright();
        Browser browser = launch(playwright)) {
      Page page = browser.newPage();
      page.navigate(server.baseUrl + "/studio/index.html");
      assertThat(page.locator("#new-db-bundle")).isChecked();
      assertThat(page.locator("#new-db-bundle")).isDisabled();
      assertThat(page.locator("#bundle-global-note")).isVisible();
    }
  }
}

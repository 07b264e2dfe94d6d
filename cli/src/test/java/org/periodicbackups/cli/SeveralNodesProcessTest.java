package org.periodicbackups.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.periodicbackups.api.config.PeriodicBackupStatus;
import org.periodicbackups.api.destination.BackupDestination;
import org.periodicbackups.api.destination.DestinationContext;
import org.periodicbackups.api.model.SystemDocuments;
import org.periodicbackups.core.config.Json;
import org.periodicbackups.core.config.SetupDocuments;
import org.periodicbackups.core.config.StatusDocuments;
import org.periodicbackups.core.destination.DestinationRegistry;
import org.periodicbackups.core.lease.LeaseDocument;
import org.periodicbackups.core.restore.ChainRestorer;
import org.periodicbackups.core.restore.RestoreRequest;
import org.periodicbackups.core.restore.VerificationReport;
import org.periodicbackups.store.sqlite.DatabaseContents;
import org.periodicbackups.store.sqlite.SqliteDatabase;
import org.periodicbackups.store.sqlite.SqliteStore;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Two {@code pbk run} processes with data folders of their own back up the same database name to
 * one destination (docs/DESIGN.md, "One writer per chain"): a shared folder, and a bucket of moto's
 * S3 server (skipped without it, saying so), whose conditional writes hold the lease (S3Proxy 4.1.0
 * checks the conditions non-atomically, see the kit's W1.6). The holder is killed, or paused with
 * SIGSTOP past its lease and woken; every restore equals a source.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class SeveralNodesProcessTest {
  private static final String ACCESS = "pbk-several-nodes-key";
  private static final String SECRET = "pbk-several-nodes-SECRET-value";
  private static final long LEASE_MILLIS = 2_000;

  @TempDir Path temp;
  private final List<DaemonProcess> daemons = new ArrayList<>();
  private final List<AutoCloseable> open = new ArrayList<>();
  private String destinationSetup;

  @AfterEach
  void tearDown() throws Exception {
    for (DaemonProcess daemon : daemons) {
      daemon.resume();
      daemon.ensureDead();
    }
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
  }

  /** One node: a data folder with database 'shop' of its own. */
  private final class Node {
    final String name;
    final SqliteStore store;
    final SqliteDatabase db;
    long lastWritten;

    Node(String name) throws IOException {
      this.name = name;
      store = new SqliteStore(temp.resolve(name));
      open.add(store);
      db = store.create("shop", Map.of());
      db.putSetting("Raven/AWSAccessKey", ACCESS);
      db.putSecuredSetting("Raven/AWSSecretKey", SECRET);
      db.putSystemDocument(
          SystemDocuments.SETUP_KEY,
          "{"
              + destinationSetup
              + ", \"IntervalMilliseconds\": 300, \"LeaseDurationMilliseconds\": "
              + LEASE_MILLIS
              + "}");
    }

    void write(String prefix, int count) throws IOException {
      for (int i = 0; i < count; i++) {
        lastWritten =
            db.putDocument(prefix + "/" + UUID.randomUUID(), "{}", "{\"Node\":\"" + name + "\"}");
      }
    }

    DaemonProcess start() throws IOException {
      DaemonProcess daemon =
          DaemonProcess.start(
              temp.resolve(name),
              temp.resolve("tmp-" + name),
              temp.resolve(name + "-" + daemons.size() + ".log"),
              "--setting",
              "Raven/ActiveBundles=PeriodicBackups",
              "--shutdown-timeout",
              "5s");
      daemons.add(daemon);
      return daemon;
    }

    PeriodicBackupStatus status() throws IOException {
      return StatusDocuments.read(db);
    }

    BooleanSupplier backedUp() {
      return () -> {
        try {
          return status().coveredEtag() >= lastWritten;
        } catch (IOException e) {
          throw new AssertionError(e);
        }
      };
    }

    BooleanSupplier failsWith(String text) {
      return () -> {
        try {
          PeriodicBackupStatus status = status();
          return status.lastError() != null && status.lastError().message().contains(text);
        } catch (IOException e) {
          throw new AssertionError(e);
        }
      };
    }

    BackupDestination destination() throws IOException {
      return DestinationRegistry.discover(getClass().getClassLoader())
          .require(destinationSetup.contains("S3BucketName") ? "s3" : "filesystem")
          .create(
              new DestinationContext(
                  "shop",
                  SetupDocuments.parse(
                      db.getSystemDocument(SystemDocuments.SETUP_KEY).orElseThrow()),
                  db::setting));
    }
  }

  private void useDestination(String kind) {
    if (kind.equals("folder")) {
      destinationSetup =
          "\"LocalFolderName\": \""
              + temp.resolve("shared").toString().replace("\\", "\\\\").replace("\"", "\\\"")
              + "\"";
      return;
    }
    String endpoint = System.getenv("PBK_MOTO_ENDPOINT");
    Assumptions.assumeTrue(
        endpoint != null && !endpoint.isBlank(),
        "PBK_MOTO_ENDPOINT not set: the moto run is skipped (.ci/with-moto.sh starts moto)");
    String bucket = "nodes-" + UUID.randomUUID();
    try (S3Client s3 =
        S3Client.builder()
            .endpointOverride(URI.create(endpoint))
            .region(Region.US_EAST_1)
            .forcePathStyle(true)
            .httpClientBuilder(ApacheHttpClient.builder())
            .credentialsProvider(
                StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS, SECRET)))
            .build()) {
      s3.createBucket(b -> b.bucket(bucket));
    }
    destinationSetup =
        "\"S3BucketName\": \""
            + bucket
            + "\", \"Destinations\": {\"s3\": {\"Endpoint\": \""
            + endpoint
            + "\"}}";
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"folder", "moto"})
  void whenTheHolderIsKilledTheOtherNodeTakesOverWithANewChain(String kind) throws Exception {
    useDestination(kind);
    Node a = new Node("a");
    Node b = new Node("b");
    a.write("users", 5);
    b.write("orders", 7);

    DaemonProcess first = a.start();
    await("a's first backup", a.backedUp(), first);
    DaemonProcess second = b.start();
    await("b's runs to fail on a's lease", b.failsWith("is held by"), second);
    assertThat(b.status().lastError().message())
        .contains("the backup lease of database 'shop' at", "token 1", "expires at")
        .contains(temp.resolve("a").toString());
    assertThat(b.status().history()).isEmpty();

    first.kill();
    await("b's takeover after a's lease expired", b.backedUp(), second);
    JsonNode lease = lease(b);
    assertThat(lease.get("Token").asLong()).isEqualTo(2);
    assertThat(lease.get("Writer").asText()).contains(temp.resolve("b").toString());
    assertThat(restoreLatest(b)).isEqualTo(DatabaseContents.of(b.db));

    assertThat(second.stop()).as(second.output()).isZero();
    assertThat(lease(b).get("Released").asBoolean()).as("b gave its lease up").isTrue();
    assertThat(verifyAll(b).problems()).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"folder", "moto"})
  void aHolderPausedPastItsLeaseWritesNothingThatCountsWhenItWakes(String kind) throws Exception {
    useDestination(kind);
    Node a = new Node("a");
    Node b = new Node("b");
    a.write("users", 5);
    b.write("orders", 7);
    DaemonProcess first = a.start();
    await("a's first backup", a.backedUp(), first);

    first.pause(); // SIGSTOP: a holds the lease and cannot renew it
    DaemonProcess second = b.start();
    await("b's takeover after a's lease expired", b.backedUp(), second);
    first.resume(); // SIGCONT
    a.write("users", 3); // a now has changes it must not back up
    await("a to find its lease taken over", a.failsWith("backup lease"), first);
    Thread.sleep(2 * 300 + 500); // more of a's scheduled runs
    assertThat(a.status().coveredEtag())
        .as("a backed up nothing after it woke; its log:\n%s", first.output())
        .isLessThan(a.lastWritten);
    assertThat(first.output()).contains("backup lease of database 'shop'");
    assertThat(lease(b).get("Writer").asText()).contains(temp.resolve("b").toString());
    assertThat(restoreLatest(b)).isEqualTo(DatabaseContents.of(b.db));
    assertThat(verifyAll(b).problems()).isEmpty();

    assertThat(first.stop()).as(first.output()).isZero();
    assertThat(second.stop()).as(second.output()).isZero();
  }

  private JsonNode lease(Node node) throws IOException {
    try (BackupDestination destination = node.destination();
        InputStream in = destination.open(LeaseDocument.objectName("shop"))) {
      return Json.mapper().readTree(in);
    }
  }

  private DatabaseContents restoreLatest(Node node) throws IOException {
    try (SqliteStore target = new SqliteStore(temp.resolve("restored-" + UUID.randomUUID()));
        BackupDestination destination = node.destination()) {
      SqliteDatabase restored = target.create("shop", Map.of());
      ChainRestorer restorer = new ChainRestorer();
      restorer.restore(
          destination, restorer.plan(destination, RestoreRequest.latest("shop")), restored);
      return DatabaseContents.of(restored);
    }
  }

  private VerificationReport verifyAll(Node node) throws IOException {
    try (BackupDestination destination = node.destination()) {
      return new ChainRestorer().verifyAll(destination);
    }
  }

  private static void await(String what, BooleanSupplier condition, DaemonProcess daemon)
      throws InterruptedException {
    long end = System.nanoTime() + 30_000_000_000L;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > end) {
        throw new AssertionError("timed out waiting for " + what + "; log:\n" + daemon.output());
      }
      Thread.sleep(50);
    }
  }
}

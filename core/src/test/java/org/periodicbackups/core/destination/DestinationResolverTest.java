package org.periodicbackups.core.destination;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.periodicbackups.api.ConfigurationException;
import org.periodicbackups.api.config.PeriodicBackupSetup;
import org.periodicbackups.api.config.PeriodicBackupSetupBuilder;
import org.periodicbackups.api.destination.DestinationProvider;

class DestinationResolverTest {
  // The built-in providers as they declare themselves (their own tests check that they do).
  private final TestProvider filesystem =
      new TestProvider("filesystem", 0, "LocalFolderName", s -> s.localFolderName() != null, true);
  private final TestProvider s3 =
      new TestProvider(
          "s3", DestinationProvider.S3_PRECEDENCE, "S3BucketName", s -> s.s3BucketName() != null);
  private final TestProvider glacier =
      new TestProvider(
          "glacier",
          DestinationProvider.GLACIER_PRECEDENCE,
          "GlacierVaultName",
          s -> s.glacierVaultName() != null);
  private final TestProvider sftp = new TestProvider("sftp", 0);
  private final TestProvider ftp = new TestProvider("ftp", 0);
  private final TestProvider webdav = new TestProvider("webdav", 10);

  /** Configured by a field of its own rather than a Destinations entry. */
  private final TestProvider tape =
      new TestProvider("tape", 5, "S3RemoteFolderName", s -> "tape".equals(s.s3RemoteFolderName()));

  private final DestinationResolver resolver =
      new DestinationResolver(
          DestinationRegistry.of(List.of(filesystem, s3, glacier, sftp, ftp, webdav, tape)));

  private static PeriodicBackupSetup setup(
      String glacierVault, String s3Bucket, String local, String... thirdParty) {
    PeriodicBackupSetupBuilder setup =
        PeriodicBackupSetup.builder()
            .glacierVaultName(glacierVault)
            .s3BucketName(s3Bucket)
            .localFolderName(local)
            .intervalMilliseconds(1000L);
    for (String name : thirdParty) {
      setup.destination(name, Map.of());
    }
    return setup.build();
  }

  @Test
  void rung1GlacierBeatsS3AndThirdParty() {
    ResolvedDestinations resolved = resolver.resolve(setup("vault", "bucket", null, "webdav"));

    assertThat(resolved.remote()).containsSame(glacier);
    assertThat(resolved.localCopy()).isEmpty();
    assertThat(resolved.ignored())
        .containsExactly(
            "s3 (S3BucketName) is ignored because glacier (GlacierVaultName) has a higher precedence"
                + " (2000 over 1000)",
            "webdav (Destinations.webdav) is ignored because glacier (GlacierVaultName) has a higher"
                + " precedence (2000 over 10)");
  }

  @Test
  void rung2S3BeatsThirdParty() {
    ResolvedDestinations resolved = resolver.resolve(setup(null, "bucket", null, "sftp"));

    assertThat(resolved.remote()).containsSame(s3);
    assertThat(resolved.ignored())
        .containsExactly(
            "sftp (Destinations.sftp) is ignored because s3 (S3BucketName) has a higher precedence"
                + " (1000 over 0)");
  }

  @Test
  void rung3ThirdPartyByPrecedenceThenName() {
    ResolvedDestinations resolved = resolver.resolve(setup(null, null, null, "sftp", "webdav"));
    assertThat(resolved.remote()).containsSame(webdav);
    assertThat(resolved.ignored())
        .containsExactly(
            "sftp (Destinations.sftp) is ignored because webdav (Destinations.webdav) has a higher"
                + " precedence (10 over 0)");

    ResolvedDestinations tie = resolver.resolve(setup(null, null, null, "sftp", "ftp"));
    assertThat(tie.remote()).containsSame(ftp);
    assertThat(tie.ignored())
        .containsExactly(
            "sftp (Destinations.sftp) is ignored because ftp"
                + " (Destinations.ftp) takes precedence (both have precedence 0; ties go to the name first in alphabetical"
                + " order)");
  }

  @Test
  void rung3IncludesProvidersConfiguredByTheirOwnFields() {
    var setup =
        PeriodicBackupSetup.builder()
            .s3RemoteFolderName("tape")
            .destination("sftp", Map.of())
            .build();

    ResolvedDestinations resolved = resolver.resolve(setup);

    assertThat(resolved.remote()).containsSame(tape);
    assertThat(resolved.ignored()).singleElement().asString().startsWith("sftp");
  }

  @Test
  void localFolderKeepsACopyInAdditionAndIsWrittenFirst() {
    ResolvedDestinations resolved = resolver.resolve(setup("vault", null, "/backups"));

    assertThat(resolved.remote()).containsSame(glacier);
    assertThat(resolved.localCopy()).containsSame(filesystem);
    assertThat(resolved.inUploadOrder()).containsExactly(filesystem, glacier);
  }

  @Test
  void localFolderAlone() {
    ResolvedDestinations resolved = resolver.resolve(setup(null, null, "/backups"));

    assertThat(resolved.remote()).isEmpty();
    assertThat(resolved.inUploadOrder()).containsExactly((DestinationProvider) filesystem);
    assertThat(resolved.ignored()).isEmpty();
  }

  @Test
  void nothingConfiguredFails() {
    assertThatThrownBy(() -> resolver.resolve(PeriodicBackupSetup.empty()))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage(
            "no destination configured: set LocalFolderName, S3BucketName,"
                + " GlacierVaultName or an entry of Destinations");
  }

  @Test
  void missingBuiltInJarAndUnknownProvidersAreAllReported() {
    var small = new DestinationResolver(DestinationRegistry.of(List.of(filesystem, s3)));

    assertThatThrownBy(() -> small.resolve(setup("vault", "bucket", "/b", "nfs")))
        .isInstanceOfSatisfying(
            ConfigurationException.class,
            e ->
                assertThat(e.problems())
                    .containsExactly(
                        "GlacierVaultName is set but destination 'glacier' not found; known:"
                            + " [filesystem, s3]; add the pbk-destination-glacier jar to the classpath"
                            + " or the plugins folder",
                        "Destinations.nfs: destination 'nfs' not found; known: [filesystem, s3];"
                            + " add the jar that provides it to the plugins folder (this project's own"
                            + " destinations are the pbk-destination-<name> jars)"));
  }

  @Test
  void missingFilesystemJarIsReportedForLocalFolderName() {
    var noFilesystem = new DestinationResolver(DestinationRegistry.of(List.of(s3)));

    assertThatThrownBy(() -> noFilesystem.resolve(setup(null, "bucket", "/b")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage(
            "LocalFolderName is set but destination 'filesystem' not found; known: [s3];"
                + " add the pbk-destination-filesystem jar to the classpath or the plugins folder");
  }
}

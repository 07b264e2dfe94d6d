package org.periodicbackups.core.destination;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.periodicbackups.api.ConfigurationException;
import org.periodicbackups.api.config.PeriodicBackupSetup;
import org.periodicbackups.api.destination.DestinationProvider;

class DestinationResolverTest {
  private final TestProvider filesystem =
      new TestProvider("filesystem", 0, s -> s.localFolderName() != null);
  private final TestProvider s3 = new TestProvider("s3", 0, s -> s.s3BucketName() != null);
  private final TestProvider glacier =
      new TestProvider("glacier", 0, s -> s.glacierVaultName() != null);
  private final TestProvider sftp = new TestProvider("sftp", 0);
  private final TestProvider ftp = new TestProvider("ftp", 0);
  private final TestProvider webdav = new TestProvider("webdav", 10);
  /** Configured by a field of its own rather than a Destinations entry. */
  private final TestProvider tape = new TestProvider("tape", 5,
      s -> "tape".equals(s.s3RemoteFolderName()));

  private final DestinationResolver resolver = new DestinationResolver(
      DestinationRegistry.of(List.of(filesystem, s3, glacier, sftp, ftp, webdav, tape)));

  private static PeriodicBackupSetup setup(String glacierVault, String s3Bucket, String local,
      String... thirdParty) {
    Map<String, Map<String, String>> destinations = new LinkedHashMap<>();
    for (String name : thirdParty) {
      destinations.put(name, Map.of());
    }
    return new PeriodicBackupSetup(false, glacierVault, s3Bucket, null, null, local, 1000L, null,
        destinations);
  }

  @Test
  void rung1GlacierBeatsS3AndThirdParty() {
    ResolvedDestinations resolved = resolver.resolve(setup("vault", "bucket", null, "webdav"));

    assertThat(resolved.remote()).containsSame(glacier);
    assertThat(resolved.localCopy()).isEmpty();
    assertThat(resolved.ignored()).containsExactly(
        "s3 (S3BucketName) is ignored because GlacierVaultName takes precedence",
        "webdav (Destinations.webdav) is ignored because GlacierVaultName takes precedence");
  }

  @Test
  void rung2S3BeatsThirdParty() {
    ResolvedDestinations resolved = resolver.resolve(setup(null, "bucket", null, "sftp"));

    assertThat(resolved.remote()).containsSame(s3);
    assertThat(resolved.ignored()).containsExactly(
        "sftp (Destinations.sftp) is ignored because S3BucketName takes precedence");
  }

  @Test
  void rung3ThirdPartyByPrecedenceThenName() {
    ResolvedDestinations resolved = resolver.resolve(setup(null, null, null, "sftp", "webdav"));
    assertThat(resolved.remote()).containsSame(webdav);
    assertThat(resolved.ignored()).containsExactly(
        "sftp (Destinations.sftp) is ignored because webdav has a higher precedence (10 over 0)");

    ResolvedDestinations tie = resolver.resolve(setup(null, null, null, "sftp", "ftp"));
    assertThat(tie.remote()).containsSame(ftp);
    assertThat(tie.ignored()).containsExactly("sftp (Destinations.sftp) is ignored because ftp"
        + " takes precedence (both have precedence 0; ties go to the name first in alphabetical"
        + " order)");
  }

  @Test
  void rung3IncludesProvidersConfiguredByTheirOwnFields() {
    var setup = new PeriodicBackupSetup(false, null, null, null, "tape", null, null, null,
        Map.of("sftp", Map.of()));

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
        .hasMessage("no destination configured: set LocalFolderName, S3BucketName,"
            + " GlacierVaultName or an entry of Destinations");
  }

  @Test
  void missingBuiltInJarAndUnknownProvidersAreAllReported() {
    var small = new DestinationResolver(DestinationRegistry.of(List.of(filesystem, s3)));

    assertThatThrownBy(() -> small.resolve(setup("vault", "bucket", "/b", "nfs")))
        .isInstanceOfSatisfying(ConfigurationException.class, e -> assertThat(e.problems())
            .containsExactly(
                "GlacierVaultName is set but destination 'glacier' not found; known:"
                    + " [filesystem, s3]; add the pbk-destination-glacier jar to the classpath"
                    + " or the plugins folder",
                "Destinations.nfs: destination 'nfs' not found; known: [filesystem, s3];"
                    + " add the jar that provides it to the plugins folder"));
  }

  @Test
  void missingFilesystemJarIsReportedForLocalFolderName() {
    var noFilesystem = new DestinationResolver(DestinationRegistry.of(List.of(s3)));

    assertThatThrownBy(() -> noFilesystem.resolve(setup(null, "bucket", "/b")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("LocalFolderName is set but destination 'filesystem' not found; known: [s3];"
            + " add the pbk-destination-filesystem jar to the classpath or the plugins folder");
  }
}

package org.periodicbackups.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.periodicbackups.api.ConfigurationException;
import org.periodicbackups.api.config.PeriodicBackupSetup;

class SetupDocumentsTest {

  private static List<String> problemsOf(String json) {
    return catchThrowableOfType(ConfigurationException.class, () -> SetupDocuments.parse(json))
        .problems();
  }

  @Test
  void emptyDocumentGivesDefaults() {
    PeriodicBackupSetup setup = SetupDocuments.parse("{}");

    assertThat(setup).isEqualTo(PeriodicBackupSetup.empty());
    assertThat(setup.awsRegionEndpoint()).isEqualTo("us-east-1");
    assertThat(setup.disabled()).isFalse();
    assertThat(setup.destinations()).isEmpty();
    assertThat(setup.intervalMilliseconds()).isNull();
    assertThat(setup.compression()).isEqualTo("gzip");
    assertThat(setup.compressionLevel()).isNull();
  }

  @Test
  void mapsEveryField() {
    String json =
        """
        {
          "Disabled": true,
          "GlacierVaultName": "vault",
          "S3BucketName": "bucket",
          "AwsRegionEndpoint": "eu-west-1",
          "S3RemoteFolderName": "backups/shop",
          "LocalFolderName": "/var/backups",
          "IntervalMilliseconds": 60000,
          "FullBackupIntervalMilliseconds": "86400000",
          "Destinations": {"sftp": {"Host": "example.org", "Port": "22"}, "webdav": {}},
          "RetentionKeepChains": 3,
          "RetentionMinimumAgeMilliseconds": 604800000,
          "Compression": "zstd",
          "CompressionLevel": 19,
          "Encryption": "aes-256-gcm-hkdf",
          "BackupType": "Snapshot",
          "DrillIntervalMilliseconds": 86400000,
          "DrillColdStorage": true,
          "CompactionMilliseconds": [60000, 3600000],
          "MaxFilesPerHour": 3600
        }
        """;

    PeriodicBackupSetup setup = SetupDocuments.parse(json);

    assertThat(setup)
        .isEqualTo(
            PeriodicBackupSetup.builder()
                .disabled(true)
                .glacierVaultName("vault")
                .s3BucketName("bucket")
                .awsRegionEndpoint("eu-west-1")
                .s3RemoteFolderName("backups/shop")
                .localFolderName("/var/backups")
                .intervalMilliseconds(60000L)
                .fullBackupIntervalMilliseconds(86400000L)
                .destination("sftp", Map.of("Host", "example.org", "Port", "22"))
                .destination("webdav", Map.of())
                .retentionKeepChains(3)
                .retentionMinimumAgeMilliseconds(604800000L)
                .compression("zstd")
                .compressionLevel(19)
                .encryption("aes-256-gcm-hkdf")
                .backupType("Snapshot")
                .drillIntervalMilliseconds(86400000L)
                .drillColdStorage(true)
                .compactionMilliseconds(List.of(60_000L, 3_600_000L))
                .maxFilesPerHour(3600)
                .build());
    assertThat(SetupDocuments.parse(SetupDocuments.toJson(setup))).isEqualTo(setup);
  }

  @Test
  void knownFieldsComeFromTheRecord() {
    assertThat(SetupDocuments.fieldNames())
        .containsExactly(
            "Disabled",
            "GlacierVaultName",
            "S3BucketName",
            "AwsRegionEndpoint",
            "S3RemoteFolderName",
            "LocalFolderName",
            "IntervalMilliseconds",
            "FullBackupIntervalMilliseconds",
            "Destinations",
            "RetentionKeepChains",
            "RetentionMinimumAgeMilliseconds",
            "Compression",
            "CompressionLevel",
            "Encryption",
            "BackupType",
            "DrillIntervalMilliseconds",
            "DrillColdStorage",
            "LeaseDurationMilliseconds",
            "LeaseWaitMilliseconds",
            "CompactionMilliseconds",
            "CompactionKeepMilliseconds",
            "MaxFilesPerHour");
    assertThat(SetupDocuments.fieldNames())
        .hasSize(PeriodicBackupSetup.class.getRecordComponents().length);
  }

  @Test
  void blankStringsAndNullsAreAbsent() {
    PeriodicBackupSetup setup =
        SetupDocuments.parse(
            """
        {"S3BucketName": "  ", "AwsRegionEndpoint": "", "LocalFolderName": "/b",
         "IntervalMilliseconds": "", "GlacierVaultName": null, "Disabled": null}
        """);

    assertThat(setup).isEqualTo(PeriodicBackupSetup.localFolder("/b", null));
  }

  @Test
  void writesAndReadsBackTheSameSetup() {
    var setup =
        PeriodicBackupSetup.builder()
            .s3BucketName("bucket")
            .localFolderName("/b")
            .intervalMilliseconds(1000L)
            .destination("sftp", Map.of("Host", "h"))
            .build();

    String json = SetupDocuments.toJson(setup);

    assertThat(json)
        .contains("\"S3BucketName\" : \"bucket\"")
        .doesNotContain("GlacierVaultName")
        .doesNotContain("null");
    assertThat(SetupDocuments.parse(json)).isEqualTo(setup);
    assertThat(SetupDocuments.toJson(PeriodicBackupSetup.empty())).doesNotContain("Destinations");
  }

  @Test
  void badJsonNamesLineAndColumn() {
    assertThat(problemsOf("{\n  \"S3BucketName\": \"b\",\n    }"))
        .singleElement()
        .asString()
        .startsWith("setup document is not valid JSON at line 3, column 5: ");
    assertThat(problemsOf("{\"Disabled\": true} {}"))
        .singleElement()
        .asString()
        .startsWith("setup document is not valid JSON");
    assertThat(problemsOf("{\"S3BucketName\": \"a\", \"S3BucketName\": \"b\"}"))
        .singleElement()
        .asString()
        .contains("S3BucketName");
    assertThat(problemsOf("")).singleElement().asString().contains("empty");
    assertThat(problemsOf("[1]"))
        .containsExactly("setup document must be a JSON object {…} but is an array");
  }

  @Test
  void zeroAndNegativeIntervalsAreRejected() {
    assertThat(problemsOf("{\"IntervalMilliseconds\": 0, \"FullBackupIntervalMilliseconds\": -5}"))
        .hasSize(2)
        .anySatisfy(p -> assertThat(p).startsWith("IntervalMilliseconds: 0 is not allowed"))
        .anySatisfy(
            p -> assertThat(p).startsWith("FullBackupIntervalMilliseconds: -5 is not allowed"));
  }

  @Test
  void compressionMustBeKnownAndItsLevelInTheCodecsRange() {
    assertThat(problemsOf("{\"Compression\": \"lz4\"}"))
        .containsExactly("Compression: 'lz4' is not known; use gzip or zstd");
    assertThat(problemsOf("{\"CompressionLevel\": 10}"))
        .containsExactly(
            "CompressionLevel: 10 is not allowed for gzip; it must be 1 (fastest)" + " to 9");
    assertThat(problemsOf("{\"Compression\": \"zstd\", \"CompressionLevel\": 0}"))
        .containsExactly(
            "CompressionLevel: 0 is not allowed for zstd; it must be 1 (fastest)" + " to 19");
  }

  @Test
  void encryptionIsRequiredNoneOrAbsent() {
    assertThat(SetupDocuments.parse("{\"Encryption\": \"none\"}").encryption()).isEqualTo("none");
    assertThat(SetupDocuments.parse("{\"Encryption\": \" \"}").encryption()).isNull();
    assertThat(problemsOf("{\"Encryption\": \"aes\"}"))
        .singleElement()
        .asString()
        .startsWith(
            "Encryption: 'aes' is not known; use aes-256-gcm-hkdf (require encryption),"
                + " none (never encrypt)");
    assertThat(problemsOf("{\"Encrypton\": \"none\"}"))
        .singleElement()
        .asString()
        .contains("did you mean 'Encryption'?");
  }

  @Test
  void retentionMustKeepTheCurrentChainAndAgesCannotBeNegative() {
    assertThat(problemsOf("{\"RetentionKeepChains\": 0, \"RetentionMinimumAgeMilliseconds\": -1}"))
        .hasSize(2)
        .anySatisfy(p -> assertThat(p).startsWith("RetentionKeepChains: 0 is not allowed"))
        .anySatisfy(
            p -> assertThat(p).startsWith("RetentionMinimumAgeMilliseconds: -1 is not allowed"));
  }

  @Test
  void unknownFieldSuggestsTheClosestKnownOne() {
    assertThat(problemsOf("{\"S3BucketNmae\": \"b\"}"))
        .containsExactly("unknown field 'S3BucketNmae'; did you mean 'S3BucketName'?");
    assertThat(problemsOf("{\"localfoldername\": \"b\"}"))
        .containsExactly("unknown field 'localfoldername'; did you mean 'LocalFolderName'?");
    assertThat(problemsOf("{\"Colour\": \"b\"}"))
        .singleElement()
        .asString()
        .startsWith("unknown field 'Colour'; known fields: [Disabled, GlacierVaultName");
  }

  @Test
  void wrongTypesNameFieldValueAndRule() {
    assertThat(
            problemsOf(
                """
        {"IntervalMilliseconds": "abc", "FullBackupIntervalMilliseconds": 1.5,
         "Disabled": "yes", "S3BucketName": 42, "Destinations": [1]}
        """))
        .containsExactly(
            "IntervalMilliseconds: 'abc' is not a number of milliseconds",
            "FullBackupIntervalMilliseconds: 1.5 is not a whole number of milliseconds that fits in"
                + " 64 bits",
            "Disabled: 'yes' is not true or false",
            "S3BucketName: 42 is not a string; write it in quotes",
            "Destinations: [1] is not an object of provider names to options, such as"
                + " {\"sftp\": {\"Host\": \"…\"}}");
  }

  @Test
  void destinationOptionsMustBeStringsAndAreNeverEchoed() {
    List<String> problems =
        problemsOf(
            """
        {"Destinations": {"sftp": {"Password": 123456789, "Host": "h"}, "webdav": "x"}}
        """);

    assertThat(problems)
        .containsExactly(
            "Destinations.sftp.Password: a number is not allowed; option values must be strings"
                + " (write it in quotes)",
            "Destinations.webdav: a string is not an object of option names to string values");
    assertThat(String.join(" ", problems)).doesNotContain("123456789");
  }

  @Test
  void reportsTypeUnknownFieldAndValueProblemsTogether() {
    ConfigurationException e =
        catchThrowableOfType(
            ConfigurationException.class,
            () ->
                SetupDocuments.parse(
                    """
            {"S3BucketNmae": "b", "IntervalMilliseconds": -1, "Disabled": 1,
             "AwsRegionEndpoint": "EU West"}
            """));

    assertThat(e.problems()).hasSize(4);
    assertThat(e.problems().get(0)).contains("S3BucketNmae");
    assertThat(e.problems().get(1)).startsWith("Disabled: 1 is not true or false");
    assertThat(e.problems())
        .anySatisfy(p -> assertThat(p).startsWith("IntervalMilliseconds: -1"))
        .anySatisfy(p -> assertThat(p).startsWith("AwsRegionEndpoint: 'EU West'"));
    assertThat(e.getMessage())
        .contains(Arrays.asList("S3BucketNmae", "Disabled", "EU West").toArray(new String[0]));
  }

  @Test
  void nullDocumentIsAProgrammingError() {
    assertThatThrownBy(() -> SetupDocuments.parse(null)).isInstanceOf(NullPointerException.class);
  }
}

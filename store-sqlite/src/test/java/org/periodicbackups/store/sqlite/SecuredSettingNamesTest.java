package org.periodicbackups.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SecuredSettingNamesTest {
  @Test
  void credentialsMustBeSecured() {
    assertThat(SecuredSettingNames.mustBeSecured("Raven/AWSSecretKey")).isTrue();
    assertThat(SecuredSettingNames.mustBeSecured("Azure/StorageSecretKey")).isTrue();
    assertThat(SecuredSettingNames.mustBeSecured("Smtp/Password")).isTrue();
    assertThat(SecuredSettingNames.mustBeSecured("smtp/password")).isTrue();
    assertThat(SecuredSettingNames.mustBeSecured("Backup/EncryptionKey")).isTrue();
  }

  @Test
  void otherSettingsMayBePlain() {
    assertThat(SecuredSettingNames.mustBeSecured("Raven/AWSAccessKey")).isFalse();
    assertThat(SecuredSettingNames.mustBeSecured("Raven/ActiveBundles")).isFalse();
    assertThat(SecuredSettingNames.mustBeSecured("PasswordPolicy")).isFalse();
  }
}

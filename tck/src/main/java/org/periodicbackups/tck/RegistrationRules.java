package org.periodicbackups.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.periodicbackups.api.destination.DestinationProvider;

/** R: the provider is registered, configured by the implementer's setup, and keeps secrets. */
abstract class RegistrationRules extends RuleGroup {

  RegistrationRules(DestinationCompatibilityKit kit) {
    super(kit);
  }

  @Test
  @DisplayName("R1.1 ServiceLoader finds exactly one provider by its name")
  void serviceLoaderFindsTheProvider() {
    String name = kit().providerName();
    assertThat(Fixture.registry(kit()).find(name))
        .as(
            "R1.1 a provider named '%s' listed in META-INF/services/%s",
            name, DestinationProvider.class.getName())
        .isPresent();
  }

  @Test
  @DisplayName("R1.2 the provider says it is configured by the implementer's setup")
  void providerIsConfiguredBySetup() {
    DestinationProvider provider = f().provider;
    assertThat(provider.isConfiguredBy(f().setup))
        .as("R1.2 %s.isConfiguredBy(setupFor('%s'))", provider.getClass().getName(), f().prefix)
        .isTrue();
  }

  @Test
  @DisplayName("R1.3 toString(), description() and error messages contain no secret")
  void noSecretsInDescriptions() {
    assumeFalse(
        kit().secrets().isEmpty(),
        "R1.3 skipped: secrets() is empty; return the credentials of the setup or settings from"
            + " secrets() to run it");
    Throwable missing = catchThrowable(() -> f().destination.open("tck-missing.json.gz"));
    Map<String, String> shown = new LinkedHashMap<>();
    shown.put("destination.toString()", String.valueOf(f().destination));
    shown.put("destination.description()", f().destination.description());
    shown.put("provider.toString()", String.valueOf(f().provider));
    shown.put("open(missing) message", missing == null ? "" : String.valueOf(missing));
    for (String secret : kit().secrets()) {
      shown.forEach(
          (what, text) ->
              assertThat(text.contains(secret))
                  .withFailMessage(
                      "R1.3 %s shows a secret (%d characters, starting '%s…')",
                      what, secret.length(), secret.substring(0, Math.min(2, secret.length())))
                  .isFalse());
    }
  }

  @Test
  @DisplayName("R1.4 the destination names the provider that created it")
  void destinationNamesItsProvider() {
    assertThat(f().destination.providerName())
        .as("R1.4 %s.providerName()", f().destination.getClass().getName())
        .isEqualTo(kit().providerName());
  }

  @Test
  @DisplayName("R1.5 the description is not blank")
  void descriptionIsNotBlank() {
    assertThat(f().destination.description())
        .as("R1.5 %s.description()", f().destination.getClass().getName())
        .isNotBlank();
  }
}

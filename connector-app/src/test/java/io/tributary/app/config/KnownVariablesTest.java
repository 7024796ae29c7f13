package io.tributary.app.config;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class KnownVariablesTest {

    @Test
    @DisplayName("issue 19: a typo in a TRIBUTARY_ variable stops start-up naming it and the closest known name")
    void typoIsNamedWithASuggestion() {
        assertThatThrownBy(() -> KnownVariables.check(Map.of("TRIBUTARY_API_TOKN", "x")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("TRIBUTARY_API_TOKN is not a variable Tributary knows; did you mean TRIBUTARY_API_TOKEN?; "
                        + "docs/configuration.md lists them all")
                .hasMessageNotContaining("=x");
        assertThatThrownBy(() -> KnownVariables.check(Map.of("TRIBUTARY_STORE_PASWORD", "secret")))
                .hasMessageStartingWith("TRIBUTARY_STORE_PASWORD is not a variable Tributary knows; did you mean "
                        + "TRIBUTARY_STORE_PASSWORD?").hasMessageNotContaining("secret");
        assertThatThrownBy(() -> KnownVariables.check(Map.of("TRIBUTARY_SOMETHING_ELSE_ENTIRELY", "1")))
                .hasMessage("TRIBUTARY_SOMETHING_ELSE_ENTIRELY is not a variable Tributary knows; docs/configuration.md "
                        + "lists them all");
        // AppSettings checks before anything else
        assertThatThrownBy(() -> AppSettings.read(Map.of("TRIBUTARY_MAX_CONCURENT_RUNS", "4")))
                .hasMessageContaining("did you mean TRIBUTARY_MAX_CONCURRENT_RUNS?");
    }

    @Test
    void knownNamesAndFamiliesPass() {
        assertThatCode(() -> KnownVariables.check(Map.of("TRIBUTARY_API_TOKEN", "x", "TRIBUTARY_CORS_ORIGINS", "x",
                "TRIBUTARY_PLECTO_URL", "x", "TRIBUTARY_SOURCES_A_URL", "x", "TRIBUTARY_TEST_POSTGRES_HOST", "x",
                "OTHER", "x"))).doesNotThrowAnyException();
    }
}

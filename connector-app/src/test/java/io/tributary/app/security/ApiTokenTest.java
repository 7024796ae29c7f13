package io.tributary.app.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.tributary.app.config.ConfigurationException;

class ApiTokenTest {

    private static final String TOKEN = "0123456789abcdef0123";

    @Test
    void noTokenMeansNoAuthentication() {
        assertThat(ApiToken.read(Map.of())).isEmpty();
        assertThat(ApiToken.read(Map.of("TRIBUTARY_API_TOKEN", ""))).isEmpty();
    }

    @Test
    void onlyTheExactTokenMatches() {
        ApiToken token = ApiToken.read(Map.of("TRIBUTARY_API_TOKEN", TOKEN)).orElseThrow();
        assertThat(token.matches(TOKEN)).isTrue();
        assertThat(token.matches(TOKEN + "x")).isFalse();
        assertThat(token.matches(TOKEN.substring(1))).isFalse();
        assertThat(token.matches("")).isFalse();
        assertThat(token.toString()).doesNotContain(TOKEN);
    }

    @Test
    void theTokenCanComeFromAFileWithoutItsNewline(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("token"), TOKEN + "\n");
        assertThat(ApiToken.read(Map.of("TRIBUTARY_API_TOKEN_FILE", file.toString())).orElseThrow().matches(TOKEN)).isTrue();
    }

    @Test
    void aShortTokenStopsStartUpWithoutPrintingIt() {
        assertThatThrownBy(() -> ApiToken.read(Map.of("TRIBUTARY_API_TOKEN", "hunter2"))).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("TRIBUTARY_API_TOKEN must be at least 16 characters").hasMessageNotContaining("hunter2");
        assertThatThrownBy(() -> ApiToken.read(Map.of("TRIBUTARY_API_TOKEN", TOKEN, "TRIBUTARY_API_TOKEN_FILE", "/x")))
                .hasMessageContaining("are both set");
    }
}

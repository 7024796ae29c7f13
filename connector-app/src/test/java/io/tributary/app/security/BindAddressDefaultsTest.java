package io.tributary.app.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

class BindAddressDefaultsTest {

    private static String defaultAddress(Map<String, Object> variables) {
        StandardEnvironment env = new StandardEnvironment();
        env.getPropertySources().addFirst(new MapPropertySource("test", variables));
        new BindAddressDefaults().postProcessEnvironment(env, new SpringApplication());
        return env.getProperty(BindAddressDefaults.PROPERTY);
    }

    @Test
    void withoutATokenOnlyThisMachineCanConnect() {
        assertThat(defaultAddress(Map.of())).isEqualTo("127.0.0.1");
        assertThat(defaultAddress(Map.of("TRIBUTARY_API_TOKEN", ""))).isEqualTo("127.0.0.1");
    }

    @Test
    void withATokenEveryInterfaceListens() {
        assertThat(defaultAddress(Map.of("TRIBUTARY_API_TOKEN", "0123456789abcdef"))).isEqualTo("0.0.0.0");
        assertThat(defaultAddress(Map.of("TRIBUTARY_API_TOKEN_FILE", "/run/secrets/token"))).isEqualTo("0.0.0.0");
    }
}

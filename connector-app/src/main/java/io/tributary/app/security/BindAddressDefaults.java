package io.tributary.app.security;

import java.util.Map;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * The default listen address follows from authentication: 127.0.0.1 without {@code TRIBUTARY_API_TOKEN} (an API
 * without authentication must not be reachable from other machines), 0.0.0.0 with one. An explicit
 * {@code TRIBUTARY_BIND_ADDRESS} always wins ({@code server.address} in application.properties reads it first).
 */
public final class BindAddressDefaults implements EnvironmentPostProcessor {

    static final String PROPERTY = "tributary.default-bind-address";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        boolean token = ApiToken.configured(environment.getProperty(ApiToken.VARIABLE),
                environment.getProperty(ApiToken.FILE_VARIABLE));
        environment.getPropertySources().addLast(new MapPropertySource("tributaryBindAddress",
                Map.of(PROPERTY, token ? "0.0.0.0" : "127.0.0.1")));
    }

    static boolean isLoopback(String address) {
        return address.equals("127.0.0.1") || address.equals("localhost") || address.equals("::1")
                || address.startsWith("127.");
    }
}

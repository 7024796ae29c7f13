package io.tributary.app.config;

import java.util.Locale;
import java.util.Map;

/**
 * Where the registration store lives: {@code TRIBUTARY_STORE_URL} (a JDBC URL for PostgreSQL or H2, or
 * {@code postgresql://host/db}), {@code TRIBUTARY_STORE_USERNAME}, {@code TRIBUTARY_STORE_PASSWORD}. Without a
 * URL the store is an embedded H2 file database under {@code TRIBUTARY_DATA_DIR} (default {@code ./data}).
 */
public record StoreSettings(String jdbcUrl, String username, String password, boolean embedded) {

    @Override
    public String toString() {
        return "StoreSettings[" + jdbcUrl + ", user " + username + "]";
    }

    public static StoreSettings read(Map<String, String> env) {
        String url = env.getOrDefault("TRIBUTARY_STORE_URL", "").strip();
        String user = env.getOrDefault("TRIBUTARY_STORE_USERNAME", "");
        String password = env.getOrDefault("TRIBUTARY_STORE_PASSWORD", "");
        if (url.isEmpty()) {
            String dir = env.getOrDefault("TRIBUTARY_DATA_DIR", "./data").strip();
            return new StoreSettings("jdbc:h2:file:" + dir + "/tributary-store;AUTO_SERVER=TRUE", "sa", "", true);
        }
        String lower = url.toLowerCase(Locale.ROOT);
        if (lower.startsWith("postgresql://") || lower.startsWith("postgres://")) {
            SourceSettings.UrlCredentials split = SourceSettings.UrlCredentials.split(url);
            String rest = split.url().substring(split.url().indexOf("://") + 3);
            int at = rest.indexOf('@');
            if (at >= 0) {
                if (user.isEmpty()) {
                    user = rest.substring(0, at);
                }
                rest = rest.substring(at + 1);
            }
            if (split.password() != null && password.isEmpty()) {
                password = split.password();
            }
            return new StoreSettings("jdbc:postgresql://" + rest, user, password, false);
        }
        if (lower.startsWith("jdbc:postgresql:") || lower.startsWith("jdbc:h2:")) {
            return new StoreSettings(url, user, password, false);
        }
        throw new ConfigurationException("TRIBUTARY_STORE_URL must point at PostgreSQL (postgresql://host:5432/db or "
                + "jdbc:postgresql://...) or H2 (jdbc:h2:...); it starts with '"
                + (url.contains(":") ? url.substring(0, url.indexOf(':') + 1) : url) + "'");
    }

    /** {@code postgresql} or {@code h2}. */
    public String vendor() {
        return jdbcUrl.startsWith("jdbc:postgresql:") ? "postgresql" : "h2";
    }
}

package io.tributary.app.config;

import java.util.Locale;
import java.util.Map;

/**
 * Where the registration store lives: {@code TRIBUTARY_STORE_URL} (a JDBC URL for PostgreSQL or H2, or
 * {@code postgresql://host/db}), {@code TRIBUTARY_STORE_USERNAME}, {@code TRIBUTARY_STORE_PASSWORD}, and on
 * PostgreSQL {@code TRIBUTARY_STORE_SCHEMA} (default {@code tributary}: the store keeps to its own schema, so it can
 * share a database with other tables). Without a URL the store is an embedded H2 file database under
 * {@code TRIBUTARY_DATA_DIR} (default {@code ./data}).
 *
 * @param schema the PostgreSQL schema of the store's tables; {@code null} for H2
 */
public record StoreSettings(String jdbcUrl, String username, String password, boolean embedded, String schema) {

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
            return new StoreSettings("jdbc:h2:file:" + dir + "/tributary-store;AUTO_SERVER=TRUE", "sa", "", true, null);
        }
        String lower = url.toLowerCase(Locale.ROOT);
        if (lower.startsWith("postgresql://") || lower.startsWith("postgres://")) {
            UrlCredentials split = UrlCredentials.split(url);
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
            return new StoreSettings("jdbc:postgresql://" + rest, user, password, false, schema(env));
        }
        if (lower.startsWith("jdbc:postgresql:") || lower.startsWith("jdbc:h2:")) {
            // ?user=...&password=... (or H2's ;USER=...;PASSWORD=...) is taken out, so that the URL can be logged
            UrlCredentials split = UrlCredentials.split(url);
            UrlCredentials.UserInUrl named = UrlCredentials.takeUser(split.url());
            if (named.user() != null && user.isEmpty()) {
                user = named.user();
            }
            if (split.password() != null && password.isEmpty()) {
                password = split.password();
            }
            boolean postgres = lower.startsWith("jdbc:postgresql:");
            return new StoreSettings(named.url(), user, password, false, postgres ? schema(env) : null);
        }
        throw new ConfigurationException("TRIBUTARY_STORE_URL must point at PostgreSQL (postgresql://host:5432/db or "
                + "jdbc:postgresql://...) or H2 (jdbc:h2:...); it starts with '"
                + (url.contains(":") ? url.substring(0, url.indexOf(':') + 1) : url) + "'");
    }

    private static String schema(Map<String, String> env) {
        String schema = env.getOrDefault("TRIBUTARY_STORE_SCHEMA", "tributary").strip();
        if (!schema.matches("[a-z_][a-z0-9_]{0,62}")) {
            throw new ConfigurationException("TRIBUTARY_STORE_SCHEMA='" + schema
                    + "' must be a lower-case PostgreSQL identifier (letters, digits, '_')");
        }
        return schema;
    }

    /** {@code postgresql} or {@code h2}. */
    public String vendor() {
        return jdbcUrl.startsWith("jdbc:postgresql:") ? "postgresql" : "h2";
    }
}

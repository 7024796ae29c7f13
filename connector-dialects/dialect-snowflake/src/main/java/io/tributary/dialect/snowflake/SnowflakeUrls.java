package io.tributary.dialect.snowflake;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The URL forms a user may give for Snowflake: {@code snowflake://<account>.snowflakecomputing.com/?warehouse=..}
 * and {@code jdbc:snowflake://...} as the driver documents it; a bare account identifier
 * ({@code snowflake://acme-xy12345}) gets {@code .snowflakecomputing.com}. Query parameters become driver properties
 * ({@code warehouse}, {@code db}, {@code schema}, {@code role}, or any other driver property or session parameter),
 * so that the driver's URL holds the host only. Credentials, the authenticator and the session parameters Tributary
 * fixes ({@link SnowflakeSession#FIXED}) are refused; messages never repeat the URL.
 */
final class SnowflakeUrls {

    static final String SHORT_PREFIX = "snowflake://";
    static final String JDBC_PREFIX = "jdbc:snowflake://";
    static final String DOMAIN = ".snowflakecomputing.com";

    /** Driver properties that carry or choose credentials: settings of their own, never URL text. */
    static final Set<String> CREDENTIALS = Set.of("user", "password", "passcode", "token", "authenticator",
            "private_key_file", "private_key_pwd", "private_key_file_pwd", "private_key_base64", "privatekey",
            "oauthclientsecret", "proxypassword");

    /** What a URL says: the driver's URL and the properties to log in with. */
    record SnowflakeUrl(String jdbcUrl, Map<String, String> properties) {
        SnowflakeUrl {
            properties = Map.copyOf(properties);
        }
    }

    private SnowflakeUrls() {
    }

    static boolean supports(String url) {
        String lower = url.strip().toLowerCase(Locale.ROOT);
        return lower.startsWith(SHORT_PREFIX) || lower.startsWith(JDBC_PREFIX);
    }

    /**
     * @throws IllegalArgumentException naming what is wrong, never quoting the URL
     */
    static SnowflakeUrl parse(String url) {
        String u = url.strip();
        String lower = u.toLowerCase(Locale.ROOT);
        String rest;
        if (lower.startsWith(JDBC_PREFIX)) {
            rest = u.substring(JDBC_PREFIX.length());
        } else if (lower.startsWith(SHORT_PREFIX)) {
            rest = u.substring(SHORT_PREFIX.length());
        } else {
            throw new IllegalArgumentException("not a Snowflake URL; expected snowflake://<account>.snowflakecomputing.com/?warehouse=..");
        }
        int question = rest.indexOf('?');
        String beforeQuery = question < 0 ? rest : rest.substring(0, question);
        int slash = beforeQuery.indexOf('/');
        String authority = slash < 0 ? beforeQuery : beforeQuery.substring(0, slash);
        String path = slash < 0 ? "" : beforeQuery.substring(slash + 1);
        if (authority.contains("@")) {
            throw new IllegalArgumentException("the URL holds credentials; set the source's USERNAME and PASSWORD "
                    + "(or PRIVATE_KEY_FILE) instead");
        }
        if (!authority.matches("[A-Za-z0-9][A-Za-z0-9._-]*(:[0-9]{1,5})?")) {
            throw new IllegalArgumentException("expected snowflake://<account>.snowflakecomputing.com/; the account host is missing or malformed");
        }
        if (!path.isEmpty()) {
            throw new IllegalArgumentException("the URL has a path; name the database and schema as parameters: "
                    + "snowflake://<account>.snowflakecomputing.com/?db=SALES&schema=PUBLIC");
        }
        String host = authority.contains(".") ? authority : hostOfAccount(authority);
        Map<String, String> properties = new LinkedHashMap<>();
        if (question >= 0) {
            for (String pair : rest.substring(question + 1).split("&")) {
                if (!pair.isEmpty()) {
                    property(pair, properties);
                }
            }
        }
        return new SnowflakeUrl(JDBC_PREFIX + host + "/", properties);
    }

    private static String hostOfAccount(String authority) {
        int colon = authority.indexOf(':');
        return colon < 0 ? authority + DOMAIN : authority.substring(0, colon) + DOMAIN + authority.substring(colon);
    }

    private static void property(String pair, Map<String, String> properties) {
        int eq = pair.indexOf('=');
        String name = decode(eq < 0 ? pair : pair.substring(0, eq)).strip();
        String value = eq < 0 ? "" : decode(pair.substring(eq + 1)).strip();
        String key = name.toLowerCase(Locale.ROOT);
        if (CREDENTIALS.contains(key)) {
            throw new IllegalArgumentException("the URL parameter " + name + " is a credential or chooses one: set the "
                    + "source's USERNAME and PASSWORD, or PRIVATE_KEY_FILE (and PRIVATE_KEY_PASSWORD), instead");
        }
        if (SnowflakeSession.FIXED.contains(name.toUpperCase(Locale.ROOT))) {
            throw new IllegalArgumentException("the URL parameter " + name + " is set by Tributary so that values read "
                    + "exactly" + (key.equals("timezone") ? "; set the source's TIMEZONE instead" : ""));
        }
        if (value.isEmpty()) {
            throw new IllegalArgumentException("the URL parameter " + name + " is empty");
        }
        // the driver knows its properties by these names; session parameters by their upper-case names
        String property = switch (key) {
            case "warehouse", "schema", "role", "db" -> key;
            case "database" -> "db";
            default -> name;
        };
        if (properties.putIfAbsent(property, value) != null) {
            throw new IllegalArgumentException("the URL parameter " + name + " is given twice");
        }
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return s;
        }
    }
}

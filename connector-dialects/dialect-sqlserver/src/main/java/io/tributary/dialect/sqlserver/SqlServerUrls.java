package io.tributary.dialect.sqlserver;

import static io.r2dbc.spi.ConnectionFactoryOptions.CONNECT_TIMEOUT;
import static io.r2dbc.spi.ConnectionFactoryOptions.DATABASE;
import static io.r2dbc.spi.ConnectionFactoryOptions.DRIVER;
import static io.r2dbc.spi.ConnectionFactoryOptions.HOST;
import static io.r2dbc.spi.ConnectionFactoryOptions.LOCK_WAIT_TIMEOUT;
import static io.r2dbc.spi.ConnectionFactoryOptions.PASSWORD;
import static io.r2dbc.spi.ConnectionFactoryOptions.PORT;
import static io.r2dbc.spi.ConnectionFactoryOptions.SSL;
import static io.r2dbc.spi.ConnectionFactoryOptions.USER;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import io.r2dbc.mssql.MssqlConnectionFactoryProvider;
import io.r2dbc.spi.ConnectionFactoryOptions;
import io.r2dbc.spi.Option;

/**
 * The URL forms a user may give for SQL Server, turned into r2dbc-mssql options: {@code sqlserver://host:1433/db},
 * {@code mssql://...}, {@code r2dbc:mssql://...} (also {@code r2dbc:sqlserver:} and {@code r2dbcs:} for TLS) with
 * driver options as query parameters, and the JDBC form
 * {@code jdbc:sqlserver://host:1433;databaseName=db;encrypt=true}. Error messages never repeat the URL: it may hold
 * a password.
 */
final class SqlServerUrls {

    /** r2dbc-mssql reads the read-only intent nowhere; a URL asking for it is refused, see {@link #checkIntent}. */
    static final Option<String> APPLICATION_INTENT = Option.valueOf("applicationIntent");

    private static final String JDBC_PREFIX = "jdbc:sqlserver://";

    private static final String[][] R2DBC_PREFIXES = {
            {"r2dbc:mssql://", "r2dbc:mssql://"}, {"r2dbc:sqlserver://", "r2dbc:mssql://"},
            {"r2dbcs:mssql://", "r2dbcs:mssql://"}, {"r2dbcs:sqlserver://", "r2dbcs:mssql://"},
            {"sqlserver://", "r2dbc:mssql://"}, {"mssql://", "r2dbc:mssql://"}};

    /** The JDBC properties understood, by lower-case name. */
    static final List<String> JDBC_PROPERTIES = List.of("databaseName", "database", "user", "userName", "serverName",
            "portNumber", "port", "encrypt", "trustServerCertificate", "hostNameInCertificate", "loginTimeout",
            "lockTimeout", "applicationName", "applicationIntent", "sendStringParametersAsUnicode", "trustStore",
            "trustStoreType");

    private SqlServerUrls() {
    }

    static boolean supports(String url) {
        String lower = url.strip().toLowerCase(Locale.ROOT);
        if (lower.startsWith(JDBC_PREFIX)) {
            return true;
        }
        for (String[] prefix : R2DBC_PREFIXES) {
            if (lower.startsWith(prefix[0])) {
                return true;
            }
        }
        return false;
    }

    /**
     * @throws IllegalArgumentException naming what is wrong, never quoting the URL
     */
    static ConnectionFactoryOptions parse(String url) {
        String u = url.strip();
        String lower = u.toLowerCase(Locale.ROOT);
        ConnectionFactoryOptions options;
        if (lower.startsWith(JDBC_PREFIX)) {
            options = parseJdbc(u.substring(JDBC_PREFIX.length()));
        } else {
            options = parseR2dbc(u, lower);
        }
        if (options.hasOption(PASSWORD)) {
            throw new IllegalArgumentException("the URL holds a password; remove it and set the source's PASSWORD "
                    + "(or PASSWORD_FILE) instead, which is never printed");
        }
        if (!options.hasOption(HOST) || String.valueOf(options.getValue(HOST)).isBlank()) {
            throw new IllegalArgumentException("the URL names no host; expected sqlserver://host:1433/database");
        }
        checkIntent(options);
        return options;
    }

    /**
     * r2dbc-mssql 1.0.4 cannot send the read-only application intent (the LOGIN7 flag exists in its code but is
     * never set), so a read-only routing request would silently land on the primary. Refused rather than ignored.
     */
    private static void checkIntent(ConnectionFactoryOptions options) {
        Object intent = options.getValue(APPLICATION_INTENT);
        if (intent != null && !intent.toString().equalsIgnoreCase("ReadWrite")) {
            throw new IllegalArgumentException("applicationIntent=" + intent + " is not supported: the r2dbc-mssql "
                    + "driver cannot send a read-only intent, so read-only routing would silently connect to the "
                    + "primary. Remove it, or point the URL at the readable secondary replica's own host name");
        }
    }

    private static ConnectionFactoryOptions parseR2dbc(String url, String lower) {
        for (String[] prefix : R2DBC_PREFIXES) {
            if (lower.startsWith(prefix[0])) {
                String r2dbc = prefix[1] + url.substring(prefix[0].length());
                rejectPasswordInAuthority(r2dbc.substring(prefix[1].length()));
                try {
                    return ConnectionFactoryOptions.parse(r2dbc);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("not a valid SQL Server URL (expected sqlserver://host:1433/database): "
                            + e.getMessage(), e);
                }
            }
        }
        throw new IllegalArgumentException("not a SQL Server URL; expected sqlserver://host:1433/database or "
                + "jdbc:sqlserver://host:1433;databaseName=database");
    }

    /** {@code user:password@host}: refused before the parser can quote it in an error. */
    private static void rejectPasswordInAuthority(String afterScheme) {
        int end = afterScheme.length();
        for (char c : new char[] {'/', '?'}) {
            int i = afterScheme.indexOf(c);
            if (i >= 0 && i < end) {
                end = i;
            }
        }
        String authority = afterScheme.substring(0, end);
        int at = authority.lastIndexOf('@');
        if (at > 0 && authority.substring(0, at).contains(":")) {
            throw new IllegalArgumentException("the URL holds a password; remove it and set the source's PASSWORD "
                    + "(or PASSWORD_FILE) instead, which is never printed");
        }
    }

    /** {@code host[\instance][:port][;name=value]...}; values may be braced: {@code {a;b}}. */
    private static ConnectionFactoryOptions parseJdbc(String rest) {
        List<String> parts = splitJdbc(rest);
        ConnectionFactoryOptions.Builder b = ConnectionFactoryOptions.builder().option(DRIVER, "mssql");
        String server = parts.get(0);
        Map<String, String> properties = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (String part : parts.subList(1, parts.size())) {
            if (part.isBlank()) {
                continue;
            }
            int eq = part.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("the JDBC URL property '" + name(part) + "' has no value");
            }
            String key = part.substring(0, eq).strip();
            String value = unbrace(part.substring(eq + 1).strip());
            if (key.equalsIgnoreCase("password")) {
                throw new IllegalArgumentException("the URL holds a password; remove it and set the source's PASSWORD "
                        + "(or PASSWORD_FILE) instead, which is never printed");
            }
            if (JDBC_PROPERTIES.stream().noneMatch(key::equalsIgnoreCase)) {
                throw new IllegalArgumentException("the JDBC URL property '" + key + "' is not supported; supported: "
                        + String.join(", ", JDBC_PROPERTIES));
            }
            properties.put(key, value);
        }
        if (!server.isBlank()) {
            hostAndPort(server, b);
        }
        Optional.ofNullable(properties.get("serverName")).ifPresent(s -> hostAndPort(s, b));
        first(properties, "portNumber", "port").ifPresent(p -> b.option(PORT, port(p)));
        first(properties, "databaseName", "database").ifPresent(d -> b.option(DATABASE, d));
        first(properties, "user", "userName").ifPresent(user -> b.option(USER, user));
        Optional.ofNullable(properties.get("encrypt")).ifPresent(e -> b.option(SSL, encrypt(e)));
        Optional.ofNullable(properties.get("trustServerCertificate"))
                .ifPresent(t -> b.option(MssqlConnectionFactoryProvider.TRUST_SERVER_CERTIFICATE, bool("trustServerCertificate", t)));
        Optional.ofNullable(properties.get("hostNameInCertificate"))
                .ifPresent(h -> b.option(MssqlConnectionFactoryProvider.HOSTNAME_IN_CERTIFICATE, h));
        Optional.ofNullable(properties.get("loginTimeout"))
                .ifPresent(t -> b.option(CONNECT_TIMEOUT, Duration.ofSeconds(number("loginTimeout", t))));
        Optional.ofNullable(properties.get("lockTimeout"))
                .ifPresent(t -> b.option(LOCK_WAIT_TIMEOUT, Duration.ofMillis(number("lockTimeout", t))));
        Optional.ofNullable(properties.get("applicationName"))
                .ifPresent(a -> b.option(MssqlConnectionFactoryProvider.APPLICATION_NAME, a));
        Optional.ofNullable(properties.get("applicationIntent")).ifPresent(a -> b.option(APPLICATION_INTENT, a));
        Optional.ofNullable(properties.get("sendStringParametersAsUnicode")).ifPresent(s -> b.option(
                MssqlConnectionFactoryProvider.SEND_STRING_PARAMETERS_AS_UNICODE, bool("sendStringParametersAsUnicode", s)));
        Optional.ofNullable(properties.get("trustStore")).ifPresent(t -> b.option(MssqlConnectionFactoryProvider.TRUST_STORE, new java.io.File(t)));
        Optional.ofNullable(properties.get("trustStoreType"))
                .ifPresent(t -> b.option(MssqlConnectionFactoryProvider.TRUST_STORE_TYPE, t));
        return b.build();
    }

    private static void hostAndPort(String server, ConnectionFactoryOptions.Builder b) {
        String s = server.strip();
        if (s.contains("\\")) {
            throw new IllegalArgumentException("named instances (host\\instance) need the SQL Browser service, which "
                    + "r2dbc-mssql does not use; give the instance's TCP port instead: host:port");
        }
        int colon = s.lastIndexOf(':');
        if (colon > 0 && !s.endsWith("]")) {
            b.option(HOST, s.substring(0, colon));
            b.option(PORT, port(s.substring(colon + 1)));
        } else {
            b.option(HOST, s);
        }
    }

    private static List<String> splitJdbc(String rest) {
        List<String> parts = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean braced = false;
        for (int i = 0; i < rest.length(); i++) {
            char c = rest.charAt(i);
            if (c == '{') {
                braced = true;
            } else if (c == '}') {
                braced = false;
            }
            if (c == ';' && !braced) {
                parts.add(current.toString());
                current.setLength(0);
            } else {
                current.append(c);
            }
        }
        parts.add(current.toString());
        return parts;
    }

    private static String unbrace(String value) {
        return value.length() >= 2 && value.startsWith("{") && value.endsWith("}") ? value.substring(1, value.length() - 1) : value;
    }

    private static String name(String part) {
        int eq = part.indexOf('=');
        return (eq < 0 ? part : part.substring(0, eq)).strip();
    }

    private static Optional<String> first(Map<String, String> properties, String... keys) {
        for (String key : keys) {
            if (properties.containsKey(key)) {
                return Optional.of(properties.get(key));
            }
        }
        return Optional.empty();
    }

    private static int port(String text) {
        int port = number("port", text);
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException("port must be 1 to 65535 but it was " + port);
        }
        return port;
    }

    private static int number(String what, String text) {
        try {
            return Integer.parseInt(text.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(what + " must be a whole number but it was '" + text + "'", e);
        }
    }

    private static boolean bool(String what, String text) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        if (t.equals("true") || t.equals("false")) {
            return Boolean.parseBoolean(t);
        }
        throw new IllegalArgumentException(what + " must be true or false but it was '" + text + "'");
    }

    /** mssql-jdbc's values: true/mandatory encrypt, false/optional do not; strict (TDS 8) r2dbc-mssql lacks. */
    private static boolean encrypt(String text) {
        switch (text.strip().toLowerCase(Locale.ROOT)) {
            case "true":
            case "mandatory":
            case "yes":
                return true;
            case "false":
            case "optional":
            case "no":
                return false;
            case "strict":
                throw new IllegalArgumentException("encrypt=strict (TDS 8) is not supported by r2dbc-mssql; use encrypt=true");
            default:
                throw new IllegalArgumentException("encrypt must be true, false, mandatory or optional but it was '" + text + "'");
        }
    }
}

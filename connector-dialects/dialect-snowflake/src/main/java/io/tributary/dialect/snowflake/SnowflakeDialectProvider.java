package io.tributary.dialect.snowflake;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.InvalidPathException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

import io.tributary.core.ConnectorException;
import io.tributary.core.Secret;
import io.tributary.core.SourceDefinition;
import io.tributary.core.jdbc.JdbcPool;
import io.tributary.core.jdbc.JdbcSourceClient;
import io.tributary.core.spi.Dialect;
import io.tributary.core.spi.DialectProvider;
import io.tributary.core.spi.SourceClient;
import net.snowflake.client.api.driver.SnowflakeDriver;

/**
 * Snowflake sources on snowflake-jdbc through the JDBC bridge. URLs: {@code snowflake://<account>.snowflakecomputing.com/?warehouse=..&db=..&schema=..&role=..}
 * or {@code jdbc:snowflake://...}. Logs in with the source's username and either its password or a key pair (the
 * {@code private_key_file} option, encrypted or not, and the {@code private_key_password} secret). Each run borrows
 * a connection from a two-connection pool whose sessions carry the parameters of {@link SnowflakeSession}, and
 * streams with the fetch size.
 */
public final class SnowflakeDialectProvider implements DialectProvider {

    /** The option naming a PKCS#8 private key file (PEM) for key-pair authentication. */
    public static final String PRIVATE_KEY_FILE = "private_key_file";

    /** The secret decrypting that key, when it is encrypted. */
    public static final String PRIVATE_KEY_PASSWORD = "private_key_password";

    /** A Snowflake login takes longer than a database's; the pool waits as long. */
    static final String LOGIN_TIMEOUT_SECONDS = "30";

    /** A login to Snowflake takes a few round trips to the cloud service. */
    static final Duration CONNECTION_TIMEOUT = Duration.ofSeconds(Long.parseLong(LOGIN_TIMEOUT_SECONDS));

    @Override
    public String name() {
        return "snowflake";
    }

    @Override
    public boolean supports(String url) {
        return SnowflakeUrls.supports(url);
    }

    @Override
    public Dialect dialect() {
        return SnowflakeDialect.INSTANCE;
    }

    @Override
    public SourceClient connect(SourceDefinition source) {
        SnowflakeDataSource login = login(source);
        Secret redacted = source.password().isEmpty()
                ? source.secrets().getOrDefault(PRIVATE_KEY_PASSWORD, Secret.empty()) : source.password();
        // the pool sees the login data source only, never its properties or secrets
        return JdbcSourceClient.builder(JdbcPool.open("Snowflake", source,
                        JdbcPool.forDataSource("Snowflake", source, login, CONNECTION_TIMEOUT), redacted),
                        SnowflakeDialect.INSTANCE, SnowflakeDialect.NOW_QUERY)
                .hooks(SnowflakeHooks.INSTANCE)
                .password(redacted)
                .build();
    }

    /**
     * The login of a source: its URL's host and properties, the credentials and the session parameters.
     *
     * @throws ConnectorException.Permanent naming what is wrong, without a secret
     */
    static SnowflakeDataSource login(SourceDefinition source) {
        String prefix = "source " + source.id() + ": ";
        SnowflakeUrls.SnowflakeUrl url;
        String timezone;
        try {
            url = SnowflakeUrls.parse(source.url());
            timezone = SnowflakeSession.timezone(source.timezone());
        } catch (IllegalArgumentException e) {
            throw new ConnectorException.Permanent(prefix + e.getMessage(), e);
        }
        refuseUnknown(prefix, "option", source.options().keySet(), Set.of(PRIVATE_KEY_FILE));
        refuseUnknown(prefix, "secret", source.secrets().keySet(), Set.of(PRIVATE_KEY_PASSWORD));
        if (source.username().isEmpty()) {
            throw new ConnectorException.Permanent(prefix + "Snowflake needs a login: set the source's USERNAME");
        }
        Map<String, String> properties = new LinkedHashMap<>(SnowflakeSession.parameters(source.timezone(), source.id()));
        properties.put("TIMEZONE", timezone);
        properties.put("application", "Tributary");
        properties.put("loginTimeout", LOGIN_TIMEOUT_SECONDS);
        // the driver would otherwise probe cloud metadata endpoints (169.254.169.254) before every first login
        properties.put("disablePlatformDetection", "true");
        // the URL's own choices win over these defaults; the parameters Tributary relies on it cannot name
        url.properties().forEach((name, value) -> {
            properties.keySet().removeIf(k -> k.equalsIgnoreCase(name));
            properties.put(name, value);
        });
        Properties login = new Properties();
        properties.forEach(login::setProperty);
        login.setProperty("user", source.username());
        String keyFile = source.options().get(PRIVATE_KEY_FILE);
        Secret passphrase = source.secrets().getOrDefault(PRIVATE_KEY_PASSWORD, Secret.empty());
        if (keyFile != null) {
            if (!source.password().isEmpty()) {
                throw new ConnectorException.Permanent(prefix + "both a password and a private key are set; keep one");
            }
            readable(prefix, keyFile);
            login.setProperty("authenticator", "SNOWFLAKE_JWT");
            login.setProperty("private_key_file", keyFile);
            if (!passphrase.isEmpty()) {
                login.setProperty("private_key_pwd", passphrase.reveal());
            }
        } else if (!passphrase.isEmpty()) {
            throw new ConnectorException.Permanent(prefix + "a private key password is set but no PRIVATE_KEY_FILE");
        } else if (source.password().isEmpty()) {
            throw new ConnectorException.Permanent(prefix + "Snowflake needs a PASSWORD or a PRIVATE_KEY_FILE");
        } else {
            login.setProperty("password", source.password().reveal());
        }
        return new SnowflakeDataSource(new SnowflakeDriver(), url.jdbcUrl(), login);
    }

    private static void readable(String prefix, String keyFile) {
        try {
            Path path = Path.of(keyFile);
            if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
                throw new ConnectorException.Permanent(prefix + "the private key file " + keyFile + " cannot be read");
            }
        } catch (InvalidPathException e) {
            throw new ConnectorException.Permanent(prefix + "the private key file is not a valid path");
        }
    }

    private static void refuseUnknown(String prefix, String what, Set<String> given, Set<String> known) {
        Set<String> unknown = new TreeSet<>(given);
        unknown.removeAll(known);
        if (!unknown.isEmpty()) {
            throw new ConnectorException.Permanent(prefix + "Snowflake does not use the " + what + (unknown.size() > 1 ? "s " : " ")
                    + unknown + "; it takes " + known);
        }
    }
}

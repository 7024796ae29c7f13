package io.tributary.dialect.snowflake;

import static java.util.Objects.requireNonNull;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Properties;
import java.util.logging.Logger;

import javax.sql.DataSource;

/**
 * Logs in through the Snowflake driver with a fixed set of properties: the user, the password or the key-pair
 * settings, the warehouse, database, schema and role, and the session parameters. The pool is handed this data
 * source rather than the properties, because HikariCP prints its data source properties at DEBUG and masks only
 * one named {@code password}: the key's passphrase would show. {@link #toString} names the URL only.
 */
final class SnowflakeDataSource implements DataSource {

    private final Driver driver;
    private final String jdbcUrl;
    private final Properties properties;

    SnowflakeDataSource(Driver driver, String jdbcUrl, Properties properties) {
        this.driver = requireNonNull(driver, "driver must not be null");
        this.jdbcUrl = requireNonNull(jdbcUrl, "jdbcUrl must not be null");
        this.properties = (Properties) requireNonNull(properties, "properties must not be null").clone();
    }

    @Override
    public Connection getConnection() throws SQLException {
        Connection c = driver.connect(jdbcUrl, (Properties) properties.clone());
        if (c == null) {
            throw new SQLException("the Snowflake driver does not accept the URL " + jdbcUrl, "08001");
        }
        return c;
    }

    /** Credentials come from the source's settings only. */
    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        throw new SQLFeatureNotSupportedException("the login is fixed by the source's settings");
    }

    String jdbcUrl() {
        return jdbcUrl;
    }

    /** A copy, for tests: holds the secrets. */
    Properties properties() {
        return (Properties) properties.clone();
    }

    @Override
    public PrintWriter getLogWriter() {
        return null;
    }

    @Override
    public void setLogWriter(PrintWriter out) {
        // the driver logs through its own logger
    }

    @Override
    public void setLoginTimeout(int seconds) {
        // the pool's connection timeout and the driver's loginTimeout property bound the login
    }

    @Override
    public int getLoginTimeout() {
        return 0;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException("no java.util.logging parent");
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
        if (type.isInstance(this)) {
            return type.cast(this);
        }
        throw new SQLException("not a wrapper of " + type.getName());
    }

    @Override
    public boolean isWrapperFor(Class<?> type) {
        return type.isInstance(this);
    }

    @Override
    public String toString() {
        return "SnowflakeDataSource[" + jdbcUrl + "]";
    }
}

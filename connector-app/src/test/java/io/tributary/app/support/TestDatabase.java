package io.tributary.app.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A fresh PostgreSQL database per test class on the server named by {@code TRIBUTARY_TEST_POSTGRES_HOST} /
 * {@code _PORT} / {@code _USER} (defaults: the local 127.0.0.1:5432 as postgres, trust auth).
 */
public final class TestDatabase {

    private static final String HOST = env("TRIBUTARY_TEST_POSTGRES_HOST", "127.0.0.1");
    private static final String PORT = env("TRIBUTARY_TEST_POSTGRES_PORT", "5432");
    private static final String USER = env("TRIBUTARY_TEST_POSTGRES_USER", "postgres");

    private final String name;

    private TestDatabase(String name) {
        this.name = name;
    }

    /** Drops {@code name} if it exists and creates it empty. */
    public static TestDatabase fresh(String name) throws SQLException {
        try (Connection c = DriverManager.getConnection(jdbcUrl("postgres")); Statement st = c.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            st.execute("CREATE DATABASE " + name);
        }
        return new TestDatabase(name);
    }

    private static String jdbcUrl(String database) {
        return "jdbc:postgresql://" + HOST + ":" + PORT + "/" + database + "?user=" + USER;
    }

    /** For the store: {@code TRIBUTARY_STORE_URL}. */
    public String jdbcUrl() {
        return jdbcUrl(name);
    }

    /** For a source: {@code TRIBUTARY_SOURCES_<ID>_URL}. */
    public String sourceUrl() {
        return "postgresql://" + USER + "@" + HOST + ":" + PORT + "/" + name;
    }

    /** Sees the store's schema first, then the source tables in public. */
    public Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl() + "&currentSchema=tributary,public");
    }

    public void execute(String... sql) throws SQLException {
        try (Connection c = connect(); Statement st = c.createStatement()) {
            for (String s : sql) {
                st.execute(s);
            }
        }
    }

    public long count(String sql) throws SQLException {
        try (Connection c = connect(); Statement st = c.createStatement(); var rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    public String text(String sql) throws SQLException {
        try (Connection c = connect(); Statement st = c.createStatement(); var rs = st.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }
}

package io.tributary.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

/** Plain JDBC connections to the local PostgreSQL for setting up, resetting and checking the benchmark's tables. */
final class Pg {

    private final BenchOptions options;

    Pg(BenchOptions options) {
        this.options = options;
    }

    Connection connect(String database) throws SQLException {
        return connect(database, "");
    }

    /** @param parameters extra URL parameters, e.g. {@code reWriteBatchedInserts=true&currentSchema=x} */
    Connection connect(String database, String parameters) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", options.user());
        String password = System.getenv("PGPASSWORD");
        if (password != null) {
            p.setProperty("password", password);
        }
        p.setProperty("ApplicationName", "tributary-bench");
        String url = options.jdbcUrl(database) + (parameters.isEmpty() ? "" : "?" + parameters);
        return DriverManager.getConnection(url, p);
    }

    void execute(String database, String... statements) throws SQLException {
        try (Connection c = connect(database); Statement st = c.createStatement()) {
            for (String sql : statements) {
                st.execute(sql);
            }
        }
    }

    long queryLong(String database, String sql) throws SQLException {
        try (Connection c = connect(database); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            return rs.next() ? rs.getLong(1) : -1;
        }
    }

    String queryString(String database, String sql) throws SQLException {
        try (Connection c = connect(database); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    void createDatabaseIfMissing(String database) throws SQLException {
        if (queryLong("postgres", "SELECT count(*) FROM pg_database WHERE datname = '" + database + "'") == 0) {
            execute("postgres", "CREATE DATABASE " + database);
        }
    }
}

package io.tributary.core.jdbc;

import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import javax.sql.DataSource;

import org.postgresql.ds.PGSimpleDataSource;

/** The local PostgreSQL through pgjdbc: {@code TRIBUTARY_TEST_POSTGRES_JDBC_URL}, default the local service. */
final class PostgresJdbc {

    static final String URL = System.getenv().getOrDefault("TRIBUTARY_TEST_POSTGRES_JDBC_URL",
            "jdbc:postgresql://127.0.0.1:5432/test?user=postgres");

    private PostgresJdbc() {
    }

    /** A non-pooling data source whose sessions carry {@code applicationName}, to be found in pg_stat_activity. */
    static PGSimpleDataSource dataSource(String applicationName) {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL(URL);
        ds.setApplicationName(applicationName);
        return ds;
    }

    /** Counts down {@code closed} when a connection it handed out is closed. */
    static DataSource signallingClose(DataSource target, CountDownLatch closed) {
        return (DataSource) Proxy.newProxyInstance(PostgresJdbc.class.getClassLoader(), new Class<?>[] {DataSource.class},
                (p, m, args) -> {
                    Object result = m.invoke(target, args);
                    if (!(result instanceof Connection connection)) {
                        return result;
                    }
                    return Proxy.newProxyInstance(PostgresJdbc.class.getClassLoader(), new Class<?>[] {Connection.class},
                            (cp, cm, cargs) -> {
                                Object r = cm.invoke(connection, cargs);
                                if (cm.getName().equals("close")) {
                                    closed.countDown();
                                }
                                return r;
                            });
                });
    }

    /** The states of the server sessions named {@code applicationName}, seen from another session. */
    static List<String> sessionStates(String applicationName) throws SQLException {
        try (Connection c = DriverManager.getConnection(URL);
                PreparedStatement st = c.prepareStatement(
                        "SELECT state FROM pg_stat_activity WHERE application_name = ? AND pid <> pg_backend_pid()")) {
            st.setString(1, applicationName);
            List<String> states = new ArrayList<>();
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    states.add(rs.getString(1));
                }
            }
            return states;
        }
    }

    /** Polls the sessions until {@code done} holds, at most {@code seconds}; the last states seen. */
    static List<String> awaitSessions(String applicationName, int seconds, java.util.function.Predicate<List<String>> done)
            throws SQLException, InterruptedException {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        List<String> states = sessionStates(applicationName);
        while (!done.test(states) && System.nanoTime() < deadline) {
            Thread.sleep(50);
            states = sessionStates(applicationName);
        }
        return states;
    }
}

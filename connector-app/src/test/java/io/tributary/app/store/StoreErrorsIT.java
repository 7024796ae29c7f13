package io.tributary.app.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.net.ServerSocket;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import com.zaxxer.hikari.HikariDataSource;

import io.tributary.app.support.TestDatabase;
import io.tributary.core.ConnectorException;
import io.tributary.core.mapping.Registration;
import io.tributary.core.sink.SinkBatch;
import reactor.core.scheduler.Schedulers;

/**
 * Regression for issue 19: the store's failures are classed by what a retry can cure. A row the store refuses is
 * permanent with the store's reason, a missing grant is permanent and names the store user, an unreachable store is
 * transient.
 */
class StoreErrorsIT {

    private static final Instant T0 = Instant.parse("2024-03-01T12:00:00Z");
    private static final String READ_ONLY_USER = "hard_store_reader";

    private static TestDatabase db;
    private static HikariDataSource dataSource;

    @BeforeAll
    static void database() throws Exception {
        db = TestDatabase.fresh("hard_store_errors");
        dataSource = pool(db.jdbcUrl());
        Flyway.configure().dataSource(dataSource).schemas("tributary").defaultSchema("tributary")
                .placeholders(Map.of("json_type", "jsonb")).locations("classpath:db/migration").load().migrate();
    }

    @AfterAll
    static void close() throws Exception {
        dataSource.close();
        db.execute("DROP OWNED BY " + READ_ONLY_USER + " CASCADE", "DROP ROLE " + READ_ONLY_USER);
    }

    @Test
    @DisplayName("issue 19: a NUL character the store cannot hold is a permanent failure with the store's reason")
    void nulCharacterIsPermanent() {
        Throwable failure = write(store(dataSource, "postgresql"),
                new Registration("nul", "m1", "Ann\u0000e", T0, null, false, "{}"));
        assertThat(failure).isInstanceOf(ConnectorException.Permanent.class)
                .hasMessageStartingWith("the store refused a row (SQLState 22021): ")
                .hasMessageContaining("0x00")
                .hasMessageNotContaining("\n");
    }

    @Test
    @DisplayName("issue 19: a value too long for its column is permanent, and the batch left nothing behind")
    void tooLongIsPermanent() throws Exception {
        Throwable failure = write(store(dataSource, "postgresql"),
                new Registration("ok", "m1", "Ann", T0, null, false, "{}"),
                new Registration("x".repeat(600), "m1", "Ann", T0, null, false, "{}"));
        assertThat(failure).isInstanceOf(ConnectorException.Permanent.class)
                .hasMessageStartingWith("the store refused a row (SQLState 22001): ")
                .hasMessageContaining("too long");
        assertThat(db.count("SELECT count(*) FROM registrations WHERE reference = 'ok'")).isZero();
    }

    @Test
    @DisplayName("issue 19: a store user without INSERT is a permanent failure naming the user, not retried forever")
    void permissionDeniedIsPermanentAndNamesTheUser() throws Exception {
        db.execute("DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '" + READ_ONLY_USER + "') THEN "
                        + "CREATE ROLE " + READ_ONLY_USER + " LOGIN; END IF; END $$",
                "GRANT USAGE ON SCHEMA tributary TO " + READ_ONLY_USER,
                "GRANT SELECT ON ALL TABLES IN SCHEMA tributary TO " + READ_ONLY_USER);
        try (HikariDataSource readOnly = pool(db.jdbcUrl().replace("user=postgres", "user=" + READ_ONLY_USER))) {
            Throwable failure = write(store(readOnly, "postgresql"), new Registration("1", "m1", "Ann", T0, null, false, "{}"));
            assertThat(failure).isInstanceOf(ConnectorException.Permanent.class)
                    .hasMessageStartingWith("the store user '" + READ_ONLY_USER + "' lacks a privilege on the store's tables")
                    .hasMessageContaining("permission denied");
        }
    }

    @Test
    @DisplayName("issue 19: a store that cannot be reached is transient")
    void unreachableIsTransient() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        try (HikariDataSource down = pool("jdbc:postgresql://127.0.0.1:" + closedPort + "/hard_store_errors_never?user=postgres")) {
            Throwable failure = write(store(down, "postgresql"), new Registration("1", "m1", "Ann", T0, null, false, "{}"));
            assertThat(failure).isInstanceOf(ConnectorException.Transient.class).hasMessageStartingWith("the store failed");
        }
    }

    @Test
    @DisplayName("issue 19: on H2 a refused row is permanent too, without the statement's text")
    void h2RefusedRowIsPermanent() throws Exception {
        try (HikariDataSource h2 = new HikariDataSource()) {
            h2.setJdbcUrl("jdbc:h2:mem:hard_store_errors;DB_CLOSE_DELAY=-1");
            Flyway.configure().dataSource(h2).placeholders(Map.of("json_type", "json"))
                    .locations("classpath:db/migration").load().migrate();
            Throwable failure = write(store(h2, "h2"), new Registration("x".repeat(600), "m1", "Ann", T0, null, false, "{}"));
            assertThat(failure).isInstanceOf(ConnectorException.Permanent.class)
                    .hasMessageStartingWith("the store refused a row (SQLState 22001): ")
                    .hasMessageNotContaining("INSERT INTO");
        }
    }

    private static HikariDataSource pool(String url) {
        HikariDataSource ds = new HikariDataSource();
        ds.setJdbcUrl(url);
        ds.setSchema("tributary");
        ds.setConnectionTimeout(1_000);
        ds.setInitializationFailTimeout(-1);
        return ds;
    }

    private static RegistrationStore store(javax.sql.DataSource ds, String vendor) {
        return new RegistrationStore(ds, vendor, Clock.fixed(T0, ZoneOffset.UTC), Schedulers.boundedElastic());
    }

    private static Throwable write(RegistrationStore store, Registration... rows) {
        return catchThrowable(() -> store.write(new SinkBatch("s", "crm", 1, List.of(rows))).block());
    }
}

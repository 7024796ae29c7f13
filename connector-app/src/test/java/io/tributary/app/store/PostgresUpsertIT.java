package io.tributary.app.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import com.zaxxer.hikari.HikariDataSource;

import io.tributary.app.support.TestDatabase;
import io.tributary.core.mapping.Registration;
import io.tributary.core.sink.SinkBatch;
import io.tributary.core.sink.WriteResult;
import reactor.core.scheduler.Schedulers;

/** The PostgreSQL store's batch write: exact counts on every path, unchanged rows untouched. */
class PostgresUpsertIT {

    private static final Instant T0 = Instant.parse("2024-03-01T12:00:00Z");

    private static TestDatabase db;
    private static HikariDataSource dataSource;
    private RegistrationStore store;
    private long runId;

    @BeforeAll
    static void database() throws Exception {
        db = TestDatabase.fresh("tributary_store_it");
        dataSource = new HikariDataSource();
        dataSource.setJdbcUrl(db.jdbcUrl());
        dataSource.setSchema("tributary");
        Flyway.configure().dataSource(dataSource).schemas("tributary").defaultSchema("tributary")
                .placeholders(Map.of("json_type", "jsonb")).locations("classpath:db/migration").load().migrate();
    }

    @AfterAll
    static void close() {
        dataSource.close();
    }

    @BeforeEach
    void empty() throws Exception {
        db.execute("TRUNCATE registrations, members, teams");
        store = new RegistrationStore(dataSource, "postgresql", Clock.fixed(T0, ZoneOffset.UTC), Schedulers.boundedElastic());
    }

    @Test
    void newChangedAndUnchangedRowsAreCountedExactly() throws Exception {
        assertThat(write(rows(1, 5, "a"))).isEqualTo(new WriteResult(5, 0, 0, 0));
        assertThat(write(rows(1, 5, "a"))).isEqualTo(new WriteResult(0, 0, 5, 0));

        List<Registration> next = rows(1, 5, "a");
        next.set(2, sale(3, "b", true));
        next.add(sale(6, "a", false));
        assertThat(write(next)).isEqualTo(new WriteResult(1, 1, 4, 1));
        assertThat(db.text("SELECT fields::text FROM registrations WHERE reference = '3'")).isEqualTo("{\"v\": \"b\"}");
        assertThat(db.count("SELECT last_run_id FROM registrations WHERE reference = '3'")).isEqualTo(runId);
        assertThat(db.count("SELECT last_run_id FROM registrations WHERE reference = '1'")).isEqualTo(1);
    }

    @Test
    void unchangedRowsAreNotRewritten() throws Exception {
        write(rows(1, 3, "a"));
        String before = db.text("SELECT string_agg(xmin::text, ',' ORDER BY reference) FROM registrations");
        assertThat(write(rows(1, 3, "a"))).isEqualTo(new WriteResult(0, 0, 3, 0));
        assertThat(db.text("SELECT string_agg(xmin::text, ',' ORDER BY reference) FROM registrations")).isEqualTo(before);
    }

    @Test
    @DisplayName("after all-new batches a batch is inserted without a probe; meeting stored rows, it is written right all the same")
    void insertWithoutProbeFallsBackWhenRowsExist() throws Exception {
        assertThat(write(rows(1, 5, "a"))).isEqualTo(new WriteResult(5, 0, 0, 0));
        assertThat(write(rows(6, 8, "a"))).isEqualTo(new WriteResult(3, 0, 0, 0));
        // another writer stores reference 10 meanwhile
        db.execute("INSERT INTO registrations (source_id, reference, member_id_source, member_id, date, fields, "
                + "content_hash, first_seen, updated_at) VALUES ('s', '10', 'crm', 'm', now(), '{}', 0, now(), now())");

        List<Registration> next = new ArrayList<>(List.of(sale(8, "a", false), sale(9, "a", false), sale(2, "c", false),
                sale(10, "a", false)));
        assertThat(write(next)).isEqualTo(new WriteResult(1, 2, 1, 0));
        assertThat(db.count("SELECT count(*) FROM registrations")).isEqualTo(10);
        assertThat(db.text("SELECT fields::text FROM registrations WHERE reference = '2'")).isEqualTo("{\"v\": \"c\"}");
        assertThat(db.text("SELECT member_id FROM registrations WHERE reference = '10'")).isEqualTo("m10");
    }

    @Test
    void membersKeepTheirNameWhenARowHasNoneAndTakeANewOne() throws Exception {
        write(List.of(new Registration("1", "m1", "Alice", T0, "North", false, "{}")));
        write(List.of(new Registration("2", "m1", null, T0.plusSeconds(60), null, false, "{}")));
        assertThat(db.text("SELECT name FROM members WHERE member_id = 'm1'")).isEqualTo("Alice");
        // the same date: a tie keeps the name held; a newer date takes its name
        write(List.of(new Registration("3", "m1", "Alice A.", T0, "South", false, "{}")));
        assertThat(db.text("SELECT name FROM members WHERE member_id = 'm1'")).isEqualTo("Alice");
        write(List.of(new Registration("4", "m1", "Alice B.", T0.plusSeconds(1), "South", false, "{}")));
        assertThat(db.text("SELECT name FROM members WHERE member_id = 'm1'")).isEqualTo("Alice B.");
        assertThat(db.text("SELECT string_agg(name, ',' ORDER BY name) FROM teams")).isEqualTo("North,South");
    }

    @Test
    @DisplayName("a table grown by bulk inserts gets analyzed, so its plans do not assume it empty")
    void statisticsFollowBulkInserts() throws Exception {
        // the database's own autovacuum must not do it for us during the test
        db.execute("ALTER TABLE registrations SET (autovacuum_enabled = false)");
        try {
            long before = analyzeCount();
            for (int b = 0; b < 9; b++) {
                write(rows(b * 1_000 + 1, (b + 1) * 1_000, "a"));
            }
            assertThat(analyzeCount()).as("9,000 rows inserted: under the threshold").isEqualTo(before);
            write(rows(9_001, 10_000, "a"));
            assertThat(analyzeCount()).isEqualTo(before + 1);
            assertThat(db.count("SELECT reltuples::bigint FROM pg_class WHERE oid = 'registrations'::regclass"))
                    .isEqualTo(10_000);
            // the next analyze waits until the table has doubled again
            for (int b = 10; b < 19; b++) {
                write(rows(b * 1_000 + 1, (b + 1) * 1_000, "a"));
            }
            assertThat(analyzeCount()).isEqualTo(before + 1);
            write(rows(19_001, 20_000, "a"));
            assertThat(analyzeCount()).isEqualTo(before + 2);
        } finally {
            db.execute("ALTER TABLE registrations RESET (autovacuum_enabled)");
        }
    }

    @Test
    @DisplayName("the probe looks rows up by key even when the planner believes the table empty")
    void probeUsesTheKeyOnANeverAnalyzedTable() throws Exception {
        // a store schema of its own, never analyzed: what a store looks like right after a first bulk import
        db.execute("DROP SCHEMA IF EXISTS tributary_probe CASCADE");
        Flyway.configure().dataSource(db.jdbcUrl(), null, null).schemas("tributary_probe").defaultSchema("tributary_probe")
                .placeholders(Map.of("json_type", "jsonb")).locations("classpath:db/migration").load().migrate();
        db.execute("ALTER TABLE tributary_probe.registrations SET (autovacuum_enabled = false)",
                "INSERT INTO tributary_probe.registrations (source_id, reference, member_id_source, member_id, date, "
                        + "fields, content_hash, first_seen, updated_at) SELECT 's', g::text, 'crm', 'm', now(), '{}', g, "
                        + "now(), now() FROM generate_series(1, 50000) g");
        StringBuilder plan = new StringBuilder();
        try (java.sql.Connection c = db.connect()) {
            c.createStatement().execute("SET search_path = tributary_probe");
            try (java.sql.PreparedStatement ps = c.prepareStatement("EXPLAIN " + PostgresUpsert.PROBE)) {
                String[] refs = new String[1_000];
                Long[] hashes = new Long[1_000];
                for (int i = 0; i < refs.length; i++) {
                    refs[i] = Integer.toString(i * 7);
                    hashes[i] = (long) i;
                }
                ps.setArray(1, c.createArrayOf("varchar", refs));
                ps.setArray(2, c.createArrayOf("bigint", hashes));
                ps.setString(3, "s");
                try (java.sql.ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        plan.append(rs.getString(1)).append('\n');
                    }
                }
            }
        } finally {
            db.execute("DROP SCHEMA tributary_probe CASCADE");
        }
        assertThat(plan.toString()).contains("Index Scan using registrations_pkey").doesNotContain("Hash");
    }

    private long analyzeCount() throws Exception {
        // the statistics collector is read in a fresh transaction each time
        return db.count("SELECT analyze_count FROM pg_stat_user_tables WHERE schemaname = 'tributary' AND relname = 'registrations'");
    }

    private WriteResult write(List<Registration> rows) {
        return store.write(new SinkBatch("s", "crm", ++runId, rows)).block();
    }

    private static List<Registration> rows(int from, int to, String value) {
        List<Registration> rows = new ArrayList<>();
        for (int i = from; i <= to; i++) {
            rows.add(sale(i, value, false));
        }
        return rows;
    }

    private static Registration sale(int reference, String value, boolean deleted) {
        return new Registration(Integer.toString(reference), "m" + reference, "Member " + reference, T0.plusSeconds(reference),
                "Team " + reference % 3, deleted, "{\"v\":\"" + value + "\"}");
    }
}

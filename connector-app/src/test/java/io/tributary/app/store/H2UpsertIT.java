package io.tributary.app.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import com.zaxxer.hikari.HikariDataSource;

import io.tributary.app.support.H2Store;

import io.tributary.core.mapping.Registration;
import io.tributary.core.sink.SinkBatch;
import io.tributary.core.sink.WriteResult;
import reactor.core.scheduler.Schedulers;

/** The embedded H2 store's batch write: exact counts on every path, and stored rows looked up by key. */
class H2UpsertIT {

    private static final Instant T0 = Instant.parse("2024-03-01T12:00:00Z");

    private static HikariDataSource dataSource;
    private RegistrationStore store;
    private long runId;

    @BeforeAll
    static void database() {
        dataSource = H2Store.migrated("speed_h2_upsert");
    }

    @AfterAll
    static void close() {
        dataSource.close();
    }

    @BeforeEach
    void empty() throws Exception {
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
            st.execute("TRUNCATE TABLE registrations");
            st.execute("DELETE FROM members");
            st.execute("DELETE FROM teams");
        }
        store = new RegistrationStore(dataSource, "h2", Clock.fixed(T0, ZoneOffset.UTC), Schedulers.boundedElastic());
    }

    @Test
    void newChangedAndUnchangedRowsAreCountedExactly() throws Exception {
        assertThat(write("s", rows(1, 5, "a"))).isEqualTo(new WriteResult(5, 0, 0, 0));
        assertThat(write("s", rows(1, 5, "a"))).isEqualTo(new WriteResult(0, 0, 5, 0));

        List<Registration> next = rows(1, 5, "a");
        next.set(2, sale(3, "b", true));
        next.add(sale(6, "a", false));
        assertThat(write("s", next)).isEqualTo(new WriteResult(1, 1, 4, 1));
        assertThat(text("SELECT CAST(fields AS VARCHAR) FROM registrations WHERE reference = '3'")).isEqualTo("{\"v\":\"b\"}");
        assertThat(text("SELECT last_run_id FROM registrations WHERE reference = '3'")).isEqualTo(Long.toString(runId));
    }

    @Test
    @DisplayName("the same references of another source are other rows")
    void referencesAreLookedUpPerSource() throws Exception {
        assertThat(write("s", rows(1, 3, "a"))).isEqualTo(new WriteResult(3, 0, 0, 0));
        assertThat(write("t", rows(1, 3, "a"))).isEqualTo(new WriteResult(3, 0, 0, 0));
        assertThat(write("t", rows(1, 3, "b"))).isEqualTo(new WriteResult(0, 3, 0, 0));
        assertThat(write("s", rows(1, 3, "a"))).isEqualTo(new WriteResult(0, 0, 3, 0));
    }

    @Test
    @DisplayName("a store of 50,000 rows: batches of new, changed and unchanged rows counted exactly")
    void exactCountsOnALargerStore() throws Exception {
        for (int b = 0; b < 50; b++) {
            assertThat(write("s", rows(b * 1_000 + 1, (b + 1) * 1_000, "a"))).isEqualTo(new WriteResult(1_000, 0, 0, 0));
        }
        List<Registration> mixed = rows(49_501, 50_500, "a");
        for (int i = 0; i < 100; i++) {
            mixed.set(i, sale(49_501 + i, "c", false));
        }
        assertThat(write("s", mixed)).isEqualTo(new WriteResult(500, 100, 400, 0));
        assertThat(text("SELECT count(*) FROM registrations")).isEqualTo("50500");
    }

    @Test
    void membersKeepTheirNameWhenARowHasNoneAndTakeANewOne() throws Exception {
        write("s", List.of(new Registration("1", "m1", "Alice", T0, "North", false, "{}")));
        write("s", List.of(new Registration("2", "m1", null, T0, null, false, "{}")));
        assertThat(text("SELECT name FROM members WHERE member_id = 'm1'")).isEqualTo("Alice");
        write("s", List.of(new Registration("3", "m1", "Alice", T0, "North", false, "{}")));
        assertThat(text("SELECT name FROM members WHERE member_id = 'm1'")).isEqualTo("Alice");
        // the name rule: a name on a registration of the same date does not replace the one held, a newer one does
        write("s", List.of(new Registration("4", "m1", "Alice B.", T0, "South", false, "{}")));
        assertThat(text("SELECT name FROM members WHERE member_id = 'm1'")).isEqualTo("Alice");
        write("s", List.of(new Registration("4", "m1", "Alice B.", T0.plusSeconds(60), "South", false, "{}"),
                new Registration("5", "m2", null, T0, null, false, "{}")));
        assertThat(text("SELECT name FROM members WHERE member_id = 'm1'")).isEqualTo("Alice B.");
        assertThat(text("SELECT count(*) FROM members WHERE member_id = 'm2' AND name IS NULL")).isEqualTo("1");
        assertThat(text("SELECT listagg(name, ',') WITHIN GROUP (ORDER BY name) FROM teams")).isEqualTo("North,South");
    }

    @Test
    @DisplayName("regression: the lookup of stored rows uses the whole primary key, not a scan of the source's rows")
    void lookupUsesThePrimaryKey() throws Exception {
        StringBuilder plan = new StringBuilder();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("EXPLAIN " + H2Upsert.LOOKUP)) {
            ps.setObject(1, new String[] {"1", "2"});
            ps.setString(2, "s");
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    plan.append(rs.getString(1));
                }
            }
        }
        // an IN list on the key's second column is a range scan of SOURCE_ID = ?: the cause of 780 rows/s
        assertThat(plan.toString().replaceAll("\\s+", " "))
                .containsPattern("PRIMARY_KEY_\\w*: SOURCE_ID = \\?\\d* AND REFERENCE = K.REFERENCE");
    }

    private String text(String sql) throws Exception {
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private WriteResult write(String source, List<Registration> rows) {
        return store.write(new SinkBatch(source, "crm", ++runId, rows)).block();
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

package io.tributary.app.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.zaxxer.hikari.HikariDataSource;

import io.tributary.app.support.TestDatabase;
import io.tributary.core.mapping.Registration;
import io.tributary.core.sink.SinkBatch;
import reactor.core.scheduler.Schedulers;

/**
 * Regression for issue 19: a member's name follows one rule on both stores (the name on the registration with the
 * newest date wins, a tie keeps the name held), whichever of two sources sharing a Member ID Source writes last and
 * however often the lookback re-reads; a member whose name does not change is not rewritten.
 */
class MemberNamesIT {

    private static final Instant T0 = Instant.parse("2024-03-01T12:00:00Z");
    private static final String[] NAMES = {"Alice", "Alice B.", "Alicia", "A. Smith"};

    private static TestDatabase db;
    private static HikariDataSource postgres;
    private static HikariDataSource h2;

    @BeforeAll
    static void stores() throws Exception {
        db = TestDatabase.fresh("hard_members");
        postgres = new HikariDataSource();
        postgres.setJdbcUrl(db.jdbcUrl());
        postgres.setSchema("tributary");
        Flyway.configure().dataSource(postgres).schemas("tributary").defaultSchema("tributary")
                .placeholders(Map.of("json_type", "jsonb")).locations("classpath:db/migration").load().migrate();
        h2 = new HikariDataSource();
        h2.setJdbcUrl("jdbc:h2:mem:hard_members;DB_CLOSE_DELAY=-1");
        Flyway.configure().dataSource(h2).placeholders(Map.of("json_type", "json")).locations("classpath:db/migration")
                .load().migrate();
    }

    @AfterAll
    static void close() {
        postgres.close();
        h2.close();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"postgresql", "h2"})
    @DisplayName("issue 19: two sources with conflicting names for shared members: the rule's answer at every sample")
    void newestDateWinsAcrossSourcesAndLookbacks(String vendor) throws Exception {
        DataSource ds = vendor.equals("h2") ? h2 : postgres;
        execute(ds, "DELETE FROM registrations", "DELETE FROM members");
        TickingClock clock = new TickingClock();
        RegistrationStore store = new RegistrationStore(ds, vendor, clock, Schedulers.boundedElastic());
        Random random = new Random(19);
        // per member: the name the rule must give, and the date it came with
        Map<String, Registration> expected = new TreeMap<>();
        List<SinkBatch> written = new ArrayList<>();
        int reference = 0;
        for (int step = 0; step < 150; step++) {
            SinkBatch batch;
            if (step % 5 == 4) {
                // the lookback re-reads a batch of either source, unchanged
                batch = written.get(random.nextInt(written.size()));
            } else {
                List<Registration> rows = new ArrayList<>();
                for (int i = 0; i < 1 + random.nextInt(6); i++) {
                    String member = "m" + random.nextInt(3);
                    // few distinct dates, so that ties happen often
                    Instant date = T0.plusSeconds(60L * random.nextInt(12));
                    String name = random.nextInt(8) == 0 ? null : NAMES[random.nextInt(NAMES.length)];
                    rows.add(new Registration("r" + reference++, member, name, date, null, false, "{}"));
                }
                batch = new SinkBatch(step % 2 == 0 ? "a" : "b", "crm", step, rows);
                written.add(batch);
                for (Registration r : rows) {
                    Registration held = expected.get(r.memberId());
                    if (r.memberName() != null && (held == null || r.date().isAfter(held.date()))) {
                        expected.put(r.memberId(), r);
                    }
                }
            }
            Map<String, String> before = members(ds);
            store.write(batch).block();
            Map<String, String> after = members(ds);
            for (Map.Entry<String, Registration> e : expected.entrySet()) {
                assertThat(after.get(e.getKey())).as("member %s after step %d on %s", e.getKey(), step, vendor)
                        .startsWith(e.getValue().memberName() + "|");
            }
            if (step % 5 == 4) {
                assertThat(after).as("a re-read batch rewrites no member (name and updated_at as they were)")
                        .isEqualTo(before);
            }
        }
        assertThat(expected).hasSize(3);
    }

    /** member id → name|updated_at. */
    private static Map<String, String> members(DataSource ds) throws Exception {
        Map<String, String> found = new TreeMap<>();
        try (Connection c = ds.getConnection(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT member_id, name, updated_at FROM members WHERE member_id_source = 'crm'")) {
            while (rs.next()) {
                found.put(rs.getString(1), rs.getString(2) + "|" + rs.getTimestamp(3).toInstant());
            }
        }
        return found;
    }

    private static void execute(DataSource ds, String... sql) throws Exception {
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            for (String s : sql) {
                st.execute(s);
            }
        }
    }

    /** A second later at each reading, so that a rewrite shows in updated_at. */
    private static final class TickingClock extends Clock {
        private Instant now = T0;

        @Override
        public synchronized Instant instant() {
            now = now.plusSeconds(1);
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}

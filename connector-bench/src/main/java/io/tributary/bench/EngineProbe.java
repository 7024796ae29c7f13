package io.tributary.bench;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.stream.Stream;

import org.flywaydb.core.Flyway;

import com.zaxxer.hikari.HikariDataSource;

import io.tributary.app.config.StoreSettings;
import io.tributary.app.store.RegistrationStore;
import io.tributary.app.store.StoreThreads;
import io.tributary.core.mapping.Registration;
import io.tributary.core.sink.SinkBatch;
import io.tributary.core.sink.WriteResult;

/**
 * The embedded engines side by side, without a source: the same generated batches (the bench source's rows, in its
 * order, 1,000 a batch) written into the embedded H2 store through the product's {@link RegistrationStore}, and into
 * SQLite (sqlite-jdbc) through a prototype of the same steps in this class: look the batch's keys up, insert the new
 * rows, upsert the members (named when newer), insert the teams, one transaction per batch, into the same tables and
 * indexes. A prototype to decide by figures, not a product store: {@code java -jar tributary-bench.jar engine-probe
 * --rows N --engines h2,sqlite --dir PATH [--h2-options ';...'] [--drop-index NAME]}; {@code --drop-index} drops one
 * of the registrations table's indexes in both engines first, to measure what it costs.
 */
final class EngineProbe {

    private static final int BATCH = 1_000;
    private static final String SOURCE = "bench";
    private static final String MEMBER_SOURCE = "bench";

    private EngineProbe() {
    }

    static void run(String[] args) throws Exception {
        long rows = 1_000_000;
        List<String> engines = List.of("h2", "sqlite");
        Path dir = Path.of("connector-bench/target/engine-probe");
        String h2Options = "";
        String dropIndex = null;
        for (int i = 1; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--rows" -> rows = Long.parseLong(args[i + 1]);
                case "--engines" -> engines = List.of(args[i + 1].split(","));
                case "--dir" -> dir = Path.of(args[i + 1]);
                case "--h2-options" -> h2Options = args[i + 1];
                case "--drop-index" -> dropIndex = args[i + 1];
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        for (String engine : engines) {
            TributaryCase.deleteRecursively(dir);
            Files.createDirectories(dir);
            Bench.log("engine probe: %s, %,d rows, load %s", engine, rows, Machine.loadAverage());
            long cpu0 = processCpuNanos();
            long t0 = System.nanoTime();
            long written = switch (engine) {
                case "h2" -> h2(dir, rows, h2Options, dropIndex);
                case "sqlite" -> sqlite(dir, rows, dropIndex);
                default -> throw new IllegalArgumentException("unknown engine " + engine);
            };
            double wall = (System.nanoTime() - t0) / 1e9;
            double cpu = (processCpuNanos() - cpu0) / 1e9;
            long bytes;
            try (Stream<Path> files = Files.walk(dir)) {
                bytes = files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
            }
            Bench.log("engine probe: %s  %,d rows inserted in %.1f s  (%,.0f rows/s)  process CPU %.1f s  files %,d MB  "
                    + "load %s", engine, written, wall, written / wall, cpu, bytes >> 20, Machine.loadAverage());
        }
        TributaryCase.deleteRecursively(dir);
    }

    /** The bench source's row {@code g} (see {@link Dataset}), as the mapping makes it. */
    private static Registration row(long g) {
        long seller = 1 + g % 2000;
        String team = seller % 20 == 0 ? null : "Team " + (seller % 40);
        Instant sold = Dataset.FIRST_SALE.plus(Dataset.EVERY.multipliedBy(g));
        String[] products = {"Basic plan", "Pro plan", "Enterprise \\\"Gold\\\"", "Add-on: seats", "Support 24\\\\7"};
        String shipped = g % 10 == 0 ? "null"
                : "\"" + Instant.parse("2024-01-03T00:00:00Z").plus(Dataset.EVERY.multipliedBy(g)) + "\"";
        String fields = "{\"amount\":" + ((g * 7919) % 100000) / 100.0 + ",\"quantity\":" + (1 + g % 10)
                + ",\"product\":\"" + products[(int) (g % 5)] + "\",\"paid\":" + (g % 3 != 0) + ",\"shipped_at\":"
                + shipped + "}";
        return new Registration(Long.toString(g), Long.toString(seller), "Seller " + seller, sold, team, false, fields);
    }

    private static List<Registration> batch(long from, long rows) {
        List<Registration> batch = new ArrayList<>(BATCH);
        for (long g = from; g < Math.min(from + BATCH, rows + 1); g++) {
            batch.add(row(g));
        }
        return batch;
    }

    private static long h2(Path dir, long rows, String h2Options, String dropIndex) throws Exception {
        ThreadPoolExecutor threads = StoreThreads.pool("engine-probe", 1, 10);
        try (HikariDataSource ds = new HikariDataSource()) {
            ds.setJdbcUrl(StoreSettings.read(Map.of("TRIBUTARY_DATA_DIR", dir.toAbsolutePath().toString())).jdbcUrl()
                    + h2Options);
            ds.setUsername("sa");
            ds.setPassword("");
            Flyway.configure().dataSource(ds).placeholders(Map.of("json_type", "json"))
                    .locations("classpath:db/migration").load().migrate();
            drop(ds.getConnection(), dropIndex);
            RegistrationStore store = new RegistrationStore(ds, "h2", Clock.systemUTC(), StoreThreads.scheduler(threads));
            long inserted = 0;
            for (long from = 1; from <= rows; from += BATCH) {
                WriteResult r = store.write(new SinkBatch(SOURCE, MEMBER_SOURCE, 1, batch(from, rows)))
                        .block(Duration.ofMinutes(5));
                inserted += r.inserted();
            }
            return inserted;
        } finally {
            threads.shutdown();
        }
    }

    /** SQLite in WAL mode with synchronous=NORMAL: a commit survives the process, not necessarily a power cut. */
    private static void drop(Connection c, String index) throws SQLException {
        try (c; Statement st = c.createStatement()) {
            if (index != null) {
                st.execute("DROP INDEX " + index);
            }
        }
    }

    private static long sqlite(Path dir, long rows, String dropIndex) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("tributary-store.db"))) {
            try (Statement st = c.createStatement()) {
                st.execute("PRAGMA journal_mode=WAL");
                st.execute("PRAGMA synchronous=NORMAL");
                st.execute("""
                        CREATE TABLE registrations (
                            source_id text NOT NULL, reference text NOT NULL, member_id_source text NOT NULL,
                            member_id text NOT NULL, member_name text, team_name text, date text NOT NULL,
                            fields text NOT NULL, deleted integer NOT NULL DEFAULT 0, content_hash integer NOT NULL,
                            first_seen text NOT NULL, updated_at text NOT NULL, last_run_id integer,
                            PRIMARY KEY (source_id, reference))""");
                st.execute("CREATE INDEX registrations_source_date ON registrations (source_id, date)");
                st.execute("CREATE INDEX registrations_member ON registrations (member_id_source, member_id)");
                st.execute("""
                        CREATE TABLE members (member_id_source text NOT NULL, member_id text NOT NULL, name text,
                            name_date text, updated_at text NOT NULL, PRIMARY KEY (member_id_source, member_id))""");
                st.execute("CREATE TABLE teams (name text PRIMARY KEY, first_seen text NOT NULL)");
                if (dropIndex != null) {
                    st.execute("DROP INDEX " + dropIndex);
                }
            }
            c.setAutoCommit(false);
            long inserted = 0;
            try (PreparedStatement insert = c.prepareStatement("""
                        INSERT INTO registrations (source_id, reference, member_id_source, member_id, member_name,
                            team_name, date, fields, deleted, content_hash, first_seen, updated_at, last_run_id)
                        VALUES (?, ?, ?, ?, ?, ?, ?, json(?), ?, ?, ?, ?, ?)""");
                    PreparedStatement member = c.prepareStatement("""
                        INSERT INTO members (member_id_source, member_id, name, name_date, updated_at)
                        VALUES (?, ?, ?, ?, ?)
                        ON CONFLICT (member_id_source, member_id) DO UPDATE SET name = excluded.name,
                            name_date = excluded.name_date, updated_at = excluded.updated_at
                        WHERE excluded.name IS NOT NULL AND (members.name_date IS NULL OR members.name_date < excluded.name_date)""");
                    PreparedStatement team = c.prepareStatement(
                            "INSERT INTO teams (name, first_seen) VALUES (?, ?) ON CONFLICT (name) DO NOTHING")) {
                for (long from = 1; from <= rows; from += BATCH) {
                    List<Registration> batch = batch(from, rows);
                    String now = Instant.now().toString();
                    Map<String, Long> existing = sqliteExisting(c, batch);
                    TreeMap<String, Registration> members = new TreeMap<>();
                    TreeSet<String> teams = new TreeSet<>();
                    for (Registration r : batch) {
                        long hash = hash(r);
                        Long known = existing.get(r.reference());
                        if (known != null && known == hash) {
                            continue;
                        }
                        insert.setString(1, SOURCE);
                        insert.setString(2, r.reference());
                        insert.setString(3, MEMBER_SOURCE);
                        insert.setString(4, r.memberId());
                        insert.setString(5, r.memberName());
                        insert.setString(6, r.teamName());
                        insert.setString(7, r.date().toString());
                        insert.setString(8, r.fieldsJson());
                        insert.setBoolean(9, r.deleted());
                        insert.setLong(10, hash);
                        insert.setString(11, now);
                        insert.setString(12, now);
                        insert.setLong(13, 1);
                        insert.addBatch();
                        inserted++;
                        members.merge(r.memberId(), r, (a, b) -> b.date().isAfter(a.date()) ? b : a);
                        if (r.teamName() != null) {
                            teams.add(r.teamName());
                        }
                    }
                    insert.executeBatch();
                    for (Registration m : members.values()) {
                        member.setString(1, MEMBER_SOURCE);
                        member.setString(2, m.memberId());
                        member.setString(3, m.memberName());
                        member.setString(4, m.date().toString());
                        member.setString(5, now);
                        member.addBatch();
                    }
                    member.executeBatch();
                    for (String t : teams) {
                        team.setString(1, t);
                        team.setString(2, now);
                        team.addBatch();
                    }
                    team.executeBatch();
                    c.commit();
                }
            }
            return inserted;
        }
    }

    private static Map<String, Long> sqliteExisting(Connection c, List<Registration> batch) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT reference, content_hash FROM registrations WHERE source_id = ? "
                + "AND reference IN (");
        for (int i = 0; i < batch.size(); i++) {
            sql.append(i == 0 ? "?" : ",?");
        }
        Map<String, Long> found = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(sql.append(')').toString())) {
            ps.setString(1, SOURCE);
            for (int i = 0; i < batch.size(); i++) {
                ps.setString(i + 2, batch.get(i).reference());
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    found.put(rs.getString(1), rs.getLong(2));
                }
            }
        }
        return found;
    }

    /** 64-bit FNV-1a over the row's content: the work of the product's content hash, not its value. */
    private static long hash(Registration r) {
        long h = 0xcbf29ce484222325L;
        for (String s : new String[] {r.memberId(), r.memberName(), r.teamName(), r.date().toString(), r.fieldsJson()}) {
            String v = s == null ? "\0" : s;
            for (int i = 0; i < v.length(); i++) {
                h = (h ^ v.charAt(i)) * 0x100000001b3L;
            }
        }
        return h;
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }
}

package io.tributary.bench;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The same sales in the local MariaDB (127.0.0.1:3306, root, empty password), in a database named like the
 * PostgreSQL source: the same values row for row, {@code DATETIME(6)} for the zone-less UTC times, so that the stores
 * fed from both hold identical rows. Generated server-side from MariaDB's sequence engine; set up and changed with the
 * {@code mysql} client, which the bench finds on the PATH.
 */
final class MariaDbSource {

    static final String USER = "root";
    private static final String HOST = "127.0.0.1";
    private static final int PORT = 3306;
    private static final String VERSION = "sales v1";

    private MariaDbSource() {
    }

    static String url(BenchOptions options) {
        return "mysql://" + HOST + ":" + PORT + "/" + options.sourceDatabase();
    }

    /** Creates {@code sales_<rows>} in MariaDB unless an identical one exists. */
    static void prepare(BenchOptions options, long rows) throws Exception {
        String db = options.sourceDatabase();
        String table = Dataset.table(rows);
        String comment = VERSION + ", " + rows + " rows";
        sql(null, "CREATE DATABASE IF NOT EXISTS " + db);
        String existing = sql(db, "SELECT table_comment FROM information_schema.tables WHERE table_schema = '" + db
                + "' AND table_name = '" + table + "'").strip();
        if (existing.equals(comment)) {
            return;
        }
        long t0 = System.nanoTime();
        sql(db, "DROP TABLE IF EXISTS " + table + ";"
                + "CREATE TABLE " + table + " (id bigint NOT NULL PRIMARY KEY, seller_id int NOT NULL, "
                + "seller_name varchar(100) NOT NULL, team varchar(100), sold_at datetime(6) NOT NULL, "
                + "amount decimal(12,2) NOT NULL, quantity int NOT NULL, product varchar(100) NOT NULL, paid boolean NOT NULL, "
                + "shipped_at datetime(6), updated_at datetime(6) NOT NULL, KEY " + table + "_updated_at (updated_at));"
                + "INSERT INTO " + table + " SELECT seq, 1 + seq % 2000, concat('Seller ', 1 + seq % 2000), "
                + "CASE WHEN (1 + seq % 2000) % 20 = 0 THEN NULL ELSE concat('Team ', (1 + seq % 2000) % 40) END, "
                + "timestamp '2024-01-01 00:00:00' + INTERVAL seq * 10 SECOND, ((seq * 7919) % 100000) / 100.0, "
                + "1 + seq % 10, elt(1 + seq % 5, 'Basic plan', 'Pro plan', 'Enterprise \"Gold\"', 'Add-on: seats', "
                + "'Support 24\\\\7'), seq % 3 <> 0, "
                + "CASE WHEN seq % 10 = 0 THEN NULL ELSE timestamp '2024-01-03 00:00:00' + INTERVAL seq * 10 SECOND END, "
                + "timestamp '2024-01-01 01:00:00' + INTERVAL seq * 10 SECOND FROM seq_1_to_" + rows + ";"
                + "ANALYZE TABLE " + table + ";"
                + "ALTER TABLE " + table + " COMMENT = '" + comment + "'");
        Bench.log("generated MariaDB %s.%s (%,d rows) in %.1f s", db, table, rows, (System.nanoTime() - t0) / 1e9);
    }

    /** The same change as {@link Dataset#changeTenPercent}. */
    static void changeTenPercent(BenchOptions options, String table, int round) throws Exception {
        sql(options.sourceDatabase(), "UPDATE " + table + " SET amount = amount + 1, updated_at = updated_at + INTERVAL 1 SECOND "
                + "WHERE id % 10 = " + (round % 10));
    }

    private static String sql(String database, String statements) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("mysql", "-h", HOST, "-P", Integer.toString(PORT), "-u", USER,
                "--batch", "--skip-column-names"));
        if (database != null) {
            command.add(database);
        }
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getOutputStream().write(statements.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new IllegalStateException("mysql failed: " + out);
        }
        return out;
    }
}

package io.tributary.bench;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;

import io.tributary.core.window.Window;

/**
 * The source: a table of sales generated server-side with {@code generate_series}, one per size ({@code sales_<rows>}),
 * kept between invocations when its row count and generator version match. The standard fields plus five custom
 * columns of mixed types (numeric, integer, text with quotes and a backslash, boolean, nullable timestamptz).
 */
final class Dataset {

    /** Bump when the generator changes, so that old tables are rebuilt. */
    private static final String VERSION = "sales v1";

    static final Instant FIRST_SALE = Instant.parse("2024-01-01T00:00:00Z");
    static final Duration EVERY = Duration.ofSeconds(10);
    /** Every run imports the whole table: a historical import over a window that holds every row. */
    static final Window EVERYTHING = new Window(Instant.parse("2020-01-01T00:00:00Z"), Instant.parse("2100-01-01T00:00:00Z"));

    /** The user's statement, as a Tributary source takes it. */
    static String statement(String table) {
        return "SELECT id AS reference, seller_id AS member_id, seller_name AS member_name, team AS team_name, "
                + "sold_at AS date, amount, quantity, product, paid, shipped_at FROM " + table
                + " WHERE updated_at >= {{ last_update_time }} AND updated_at < {{ upper_date_limit }}";
    }

    /** The same statement with JDBC markers, for the baselines. */
    static String jdbcStatement(String table) {
        return statement(table).replace("{{ last_update_time }}", "?").replace("{{ upper_date_limit }}", "?");
    }

    /** The first {@code rows} rows by {@code updated_at}: the warm-up's window. */
    static Window firstRows(long rows) {
        return new Window(Instant.EPOCH, FIRST_SALE.plus(Duration.ofHours(1)).plus(EVERY.multipliedBy(rows)).plusMillis(1));
    }

    private final Pg pg;
    private final String database;

    Dataset(Pg pg, String database) {
        this.pg = pg;
        this.database = database;
    }

    static String table(long rows) {
        return "sales_" + rows;
    }

    /** Creates {@code sales_<rows>} unless an identical one exists; returns its name. */
    String prepare(long rows) throws SQLException {
        String table = table(rows);
        String comment = VERSION + ", " + rows + " rows";
        String existing = pg.queryString(database, "SELECT obj_description(oid, 'pg_class') FROM pg_class WHERE relname = '"
                + table + "' AND relnamespace = 'public'::regnamespace");
        if (comment.equals(existing)) {
            return table;
        }
        long t0 = System.nanoTime();
        pg.execute(database,
                "DROP TABLE IF EXISTS " + table,
                """
                CREATE TABLE %s (
                    id          bigint        NOT NULL,
                    seller_id   integer       NOT NULL,
                    seller_name varchar(100)  NOT NULL,
                    team        varchar(100),
                    sold_at     timestamptz   NOT NULL,
                    amount      numeric(12,2) NOT NULL,
                    quantity    integer       NOT NULL,
                    product     varchar(100)  NOT NULL,
                    paid        boolean       NOT NULL,
                    shipped_at  timestamptz,
                    updated_at  timestamptz   NOT NULL
                )""".formatted(table),
                // 2,000 sellers in 40 teams (every 20th seller in none); a sale every 10 s from 2024-01-01
                """
                INSERT INTO %s
                SELECT g, 1 + g %% 2000, 'Seller ' || (1 + g %% 2000),
                       CASE WHEN (1 + g %% 2000) %% 20 = 0 THEN NULL ELSE 'Team ' || ((1 + g %% 2000) %% 40) END,
                       timestamptz '2024-01-01 00:00:00+00' + g * interval '10 seconds',
                       ((g * 7919) %% 100000) / 100.0,
                       1 + g %% 10,
                       (ARRAY['Basic plan', 'Pro plan', 'Enterprise "Gold"', 'Add-on: seats', 'Support 24\\7'])[1 + g %% 5],
                       g %% 3 <> 0,
                       CASE WHEN g %% 10 = 0 THEN NULL ELSE timestamptz '2024-01-03 00:00:00+00' + g * interval '10 seconds' END,
                       timestamptz '2024-01-01 01:00:00+00' + g * interval '10 seconds'
                FROM generate_series(1::bigint, %d) g""".formatted(table, rows),
                "ALTER TABLE " + table + " ADD PRIMARY KEY (id)",
                // a user's statement filters on the change column: with an index, a poll that finds nothing is cheap
                "CREATE INDEX " + table + "_updated_at ON " + table + " (updated_at)",
                "VACUUM ANALYZE " + table,
                "COMMENT ON TABLE " + table + " IS '" + comment + "'");
        Bench.log("generated %s (%,d rows) in %.1f s", table, rows, (System.nanoTime() - t0) / 1e9);
        return table;
    }

    /** Changes 10% of the rows (a different tenth each round): their amount and change time move on. */
    void changeTenPercent(String table, int round) throws SQLException {
        pg.execute(database,
                "UPDATE " + table + " SET amount = amount + 1, updated_at = updated_at + interval '1 second' WHERE id % 10 = "
                        + (round % 10),
                "VACUUM ANALYZE " + table);
    }
}

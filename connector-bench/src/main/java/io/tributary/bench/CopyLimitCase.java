package io.tributary.bench;

import java.sql.Connection;
import java.sql.Statement;

import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.postgresql.copy.CopyOut;

import io.tributary.core.window.Window;

/**
 * (d) The limit: the source query {@code COPY}'d out and straight into an unlogged staging table, then one
 * server-side {@code INSERT ... SELECT ... ON CONFLICT} from staging, with the mapping (custom fields as
 * {@code jsonb_build_object}) done by the server. No per-row work in Java at all. COPY takes no bind parameters,
 * so the window is written into the statement as literals.
 */
final class CopyLimitCase implements ImportCase {

    private static final String COLUMNS = "id, seller_id, seller_name, team, sold_at, amount, quantity, product, paid, shipped_at";

    private static final String MERGE = """
            INSERT INTO registrations AS r (source_id, reference, member_id_source, member_id, member_name, team_name,
                    date, fields, deleted, content_hash, first_seen, updated_at)
            SELECT '%1$s', id::text, '%1$s', seller_id::text, seller_name, team, sold_at,
                   jsonb_build_object('amount', amount, 'quantity', quantity, 'product', product, 'paid', paid,
                       'shipped_at', to_char(shipped_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')),
                   false, 0, now(), now()
            FROM staging
            ON CONFLICT (source_id, reference) DO UPDATE SET member_id_source = excluded.member_id_source,
                member_id = excluded.member_id, member_name = excluded.member_name, team_name = excluded.team_name,
                date = excluded.date, fields = excluded.fields, deleted = excluded.deleted, updated_at = excluded.updated_at
            WHERE (r.member_id_source, r.member_id, r.member_name, r.team_name, r.date, r.fields, r.deleted)
                IS DISTINCT FROM (excluded.member_id_source, excluded.member_id, excluded.member_name,
                                  excluded.team_name, excluded.date, excluded.fields, excluded.deleted)
            """.formatted(Stores.SOURCE_ID);

    private final Pg pg;
    private final BenchOptions options;
    private final String schema;
    private final String table;

    CopyLimitCase(Pg pg, BenchOptions options, String schema, String table) throws Exception {
        this.pg = pg;
        this.options = options;
        this.schema = schema;
        this.table = table;
        pg.execute(options.storeDatabase(), "CREATE UNLOGGED TABLE IF NOT EXISTS " + schema + ".staging (id bigint, "
                + "seller_id integer, seller_name varchar(100), team varchar(100), sold_at timestamptz, "
                + "amount numeric(12,2), quantity integer, product varchar(100), paid boolean, shipped_at timestamptz)");
    }

    @Override
    public String name() {
        return "copy";
    }

    @Override
    public String label() {
        return "(d) COPY + INSERT..SELECT (limit)";
    }

    @Override
    public String schema() {
        return schema;
    }

    @Override
    public Counts run(Window window) throws Exception {
        long read = 0;
        try (Connection source = pg.connect(options.sourceDatabase());
                Connection store = pg.connect(options.storeDatabase(), "currentSchema=" + schema)) {
            store.setAutoCommit(false);
            try (Statement st = source.createStatement()) {
                st.execute("SET TimeZone = 'UTC'");
            }
            try (Statement st = store.createStatement()) {
                st.execute("SET TimeZone = 'UTC'");
                st.execute("TRUNCATE staging");
            }
            String select = "SELECT " + COLUMNS + " FROM " + table + " WHERE updated_at >= '" + window.lower()
                    + "' AND updated_at < '" + window.upper() + "'";
            CopyOut out = source.unwrap(PGConnection.class).getCopyAPI().copyOut("COPY (" + select + ") TO STDOUT");
            CopyIn in = store.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY staging FROM STDIN");
            byte[] row;
            while ((row = out.readFromCopy()) != null) {
                in.writeToCopy(row, 0, row.length);
                read++;
            }
            in.endCopy();
            try (Statement st = store.createStatement()) {
                st.executeUpdate(MERGE);
            }
            store.commit();
        }
        return Counts.readOnly(read);
    }
}

package io.tributary.bench;

import java.sql.Connection;
import java.sql.Statement;

import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.postgresql.copy.CopyOut;

import io.tributary.core.window.Window;

/**
 * (e) The raw transfer limit, the reference: the rows {@code COPY}'d out of the source, already in the store's
 * columns (the custom fields built by the source server with {@code jsonb_build_object}), and {@code COPY}'d straight
 * into an empty copy of the store's {@code registrations} table with its primary key and indexes. No upsert, no
 * per-row work in Java: what moving the rows costs on this machine. Emptied before every run, so every scenario is an
 * insert of every row.
 */
final class RawTransferCase implements ImportCase {

    private final Pg pg;
    private final BenchOptions options;
    private final String schema;
    private final String table;

    RawTransferCase(Pg pg, BenchOptions options, String schema, String table) throws Exception {
        this.pg = pg;
        this.options = options;
        this.schema = schema;
        this.table = table;
        pg.execute(options.storeDatabase(), "DROP TABLE IF EXISTS " + schema + ".raw_registrations",
                "CREATE TABLE " + schema + ".raw_registrations (LIKE " + schema + ".registrations INCLUDING ALL)");
    }

    @Override
    public String name() {
        return "raw";
    }

    @Override
    public String label() {
        return "(e) raw COPY transfer (reference)";
    }

    @Override
    public String schema() {
        return schema;
    }

    @Override
    public String checksum(Stores stores) throws java.sql.SQLException {
        return stores.checksum(schema, "raw_registrations");
    }

    @Override
    public Counts run(Window window) throws Exception {
        pg.execute(options.storeDatabase(), "TRUNCATE " + schema + ".raw_registrations");
        long read = 0;
        try (Connection source = pg.connect(options.sourceDatabase());
                Connection store = pg.connect(options.storeDatabase(), "currentSchema=" + schema)) {
            store.setAutoCommit(false);
            try (Statement st = source.createStatement()) {
                st.execute("SET TimeZone = 'UTC'");
            }
            String select = "SELECT '" + Stores.SOURCE_ID + "', id::text, '" + Stores.SOURCE_ID + "', seller_id::text, "
                    + "seller_name, team, sold_at, jsonb_build_object('amount', amount, 'quantity', quantity, "
                    + "'product', product, 'paid', paid, 'shipped_at', "
                    + "to_char(shipped_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')), false, 0, now(), now(), 0 "
                    + "FROM " + table + " WHERE updated_at >= '" + window.lower() + "' AND updated_at < '" + window.upper() + "'";
            CopyOut out = source.unwrap(PGConnection.class).getCopyAPI().copyOut("COPY (" + select + ") TO STDOUT");
            CopyIn in = store.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY raw_registrations (source_id, "
                    + "reference, member_id_source, member_id, member_name, team_name, date, fields, deleted, content_hash, "
                    + "first_seen, updated_at, last_run_id) FROM STDIN");
            byte[] row;
            while ((row = out.readFromCopy()) != null) {
                in.writeToCopy(row, 0, row.length);
                read++;
            }
            in.endCopy();
            store.commit();
        }
        return Counts.readOnly(read);
    }
}

package io.tributary.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import io.tributary.core.window.Window;

/**
 * (b) The loader a user writes by hand: pgjdbc, autocommit off, fetch size 5,000, a batched
 * {@code INSERT ... ON CONFLICT DO UPDATE ... WHERE ... IS DISTINCT FROM ...} with {@code reWriteBatchedInserts=true},
 * a commit every 1,000 rows. One thread: read, map, write, in turn.
 */
final class JdbcLoaderCase implements ImportCase {

    static final int FETCH_SIZE = 5_000;
    static final int BATCH = 1_000;

    private final Pg pg;
    private final BenchOptions options;
    private final String schema;
    private final String table;

    JdbcLoaderCase(Pg pg, BenchOptions options, String schema, String table) {
        this.pg = pg;
        this.options = options;
        this.schema = schema;
        this.table = table;
    }

    @Override
    public String name() {
        return "jdbc";
    }

    @Override
    public String label() {
        return "(b) hand-written JDBC";
    }

    @Override
    public String schema() {
        return schema;
    }

    @Override
    public Counts run(Window window) throws Exception {
        long read = 0;
        try (Connection source = pg.connect(options.sourceDatabase());
                Connection store = pg.connect(options.storeDatabase(), "reWriteBatchedInserts=true&currentSchema=" + schema)) {
            source.setAutoCommit(false);
            store.setAutoCommit(false);
            try (PreparedStatement query = source.prepareStatement(Dataset.jdbcStatement(table));
                    PreparedStatement upsert = store.prepareStatement(SaleRow.UPSERT)) {
                query.setFetchSize(FETCH_SIZE);
                query.setObject(1, OffsetDateTime.ofInstant(window.lower(), ZoneOffset.UTC));
                query.setObject(2, OffsetDateTime.ofInstant(window.upper(), ZoneOffset.UTC));
                try (ResultSet rs = query.executeQuery()) {
                    int pending = 0;
                    while (rs.next()) {
                        SaleRow.read(rs).bind(upsert);
                        upsert.addBatch();
                        read++;
                        if (++pending == BATCH) {
                            upsert.executeBatch();
                            store.commit();
                            pending = 0;
                        }
                    }
                    if (pending > 0) {
                        upsert.executeBatch();
                        store.commit();
                    }
                }
            }
            source.commit();
        }
        return Counts.readOnly(read);
    }
}

package io.tributary.bench;

import java.sql.SQLException;

import io.tributary.core.window.Window;

/** One way of importing the source table into a store; timed by {@link Bench}. */
interface ImportCase extends AutoCloseable {

    /** Short name, as {@code --cases} takes it. */
    String name();

    /** What the table calls it. */
    String label();

    /** The PostgreSQL store schema it writes into (a name of its own for a case with another store). */
    String schema();

    /** Whether this case runs in a scenario ({@code warmup}, {@code first}, {@code unchanged}, {@code changed}). */
    default boolean runs(String scenario) {
        return true;
    }

    /** Whether its store is a schema of the PostgreSQL store database, comparable by checksum with the others. */
    default boolean postgresStore() {
        return true;
    }

    /** Empties its store before a round: the next import inserts every row. */
    default void reset(Stores stores) throws SQLException {
        stores.truncate(schema());
        stores.vacuum(schema());
    }

    /** {@code count/hash} of what it stored; equal stores have equal checksums. */
    default String checksum(Stores stores) throws SQLException {
        return stores.checksum(schema());
    }

    /** Imports every row of the window; returns what it can tell about the rows. */
    Counts run(Window window) throws Exception;

    @Override
    default void close() throws Exception {
    }

    /**
     * What an import did; {@code -1} where the case cannot tell (a JDBC batch does not say insert from update).
     *
     * @param read          distinct rows of the window read (every row once)
     * @param sourceRows    rows the source database returned in all, re-reads included
     * @param extraSeconds  time spent outside the import itself (the JVM's start for the app's command), or 0
     */
    record Counts(long read, long inserted, long updated, long unchanged, long sourceRows, double extraSeconds) {

        Counts(long read, long inserted, long updated, long unchanged) {
            this(read, inserted, updated, unchanged, read, 0);
        }

        static Counts readOnly(long read) {
            return new Counts(read, -1, -1, -1);
        }

        /** The same counts without the measured extras, for comparing with what was expected. */
        Counts exact() {
            return new Counts(read, inserted, updated, unchanged);
        }
    }
}

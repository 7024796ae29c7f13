package io.tributary.bench;

import io.tributary.core.window.Window;

/** One way of importing the source table into a store schema; timed by {@link Bench}. */
interface ImportCase extends AutoCloseable {

    /** Short name: tributary, jdbc, batch, copy. */
    String name();

    /** What the table calls it. */
    String label();

    /** The store schema it writes into. */
    String schema();

    /** Imports every row of the window; returns what it can tell about the rows. */
    Counts run(Window window) throws Exception;

    @Override
    default void close() throws Exception {
    }

    /** What an import did; {@code -1} where the case cannot tell (a JDBC batch does not say insert from update). */
    record Counts(long read, long inserted, long updated, long unchanged) {
        static Counts readOnly(long read) {
            return new Counts(read, -1, -1, -1);
        }
    }
}

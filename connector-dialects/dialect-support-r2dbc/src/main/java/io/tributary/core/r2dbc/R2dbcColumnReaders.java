package io.tributary.core.r2dbc;

import org.jspecify.annotations.Nullable;

import io.r2dbc.spi.ColumnMetadata;
import io.r2dbc.spi.Row;

/**
 * Chooses, once per result and from each column's metadata, how {@link R2dbcSourceClient} reads that column out of
 * the driver's row. For drivers whose default Java type for a column loses information (a MySQL {@code TIME} of
 * 30 hours as a {@code LocalTime}, {@code BIT(10)} as bytes); the value read then goes through
 * {@link io.tributary.core.spi.Dialect#normalize}.
 */
@FunctionalInterface
public interface R2dbcColumnReaders {

    /** The driver's default Java type for every column: {@code row.get(index)}. */
    R2dbcColumnReaders DRIVER_DEFAULTS = column -> (row, index) -> row.get(index);

    /** The reader for one column of a result. */
    ColumnReader forColumn(ColumnMetadata column);

    /** Reads one column's value; called inside the driver's row callback, where the row is valid. */
    @FunctionalInterface
    interface ColumnReader {
        @Nullable
        Object read(Row row, int index);
    }
}

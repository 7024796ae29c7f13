package io.tributary.dialect.postgresql;

import java.time.LocalDateTime;
import java.time.OffsetDateTime;

import io.r2dbc.spi.ColumnMetadata;
import io.tributary.core.r2dbc.R2dbcColumnReaders;

/**
 * Timestamp columns are read as exactly the type the driver returns for them anyway ({@link OffsetDateTime},
 * {@link LocalDateTime}), which selects {@link PostgresTimestamps}' fast text parser; every other column as the
 * driver's default.
 */
final class PostgresColumnReaders implements R2dbcColumnReaders {

    static final PostgresColumnReaders INSTANCE = new PostgresColumnReaders();

    private static final int TIMESTAMPTZ = 1184;
    private static final int TIMESTAMP = 1114;

    private static final ColumnReader ZONED = (row, index) -> row.get(index, OffsetDateTime.class);
    private static final ColumnReader LOCAL = (row, index) -> row.get(index, LocalDateTime.class);

    private PostgresColumnReaders() {
    }

    @Override
    public ColumnReader forColumn(ColumnMetadata column) {
        Object type = column.getNativeTypeMetadata();
        if (type instanceof Integer oid) {
            if (oid == TIMESTAMPTZ) {
                return ZONED;
            }
            if (oid == TIMESTAMP) {
                return LOCAL;
            }
        }
        return DRIVER_DEFAULTS.forColumn(column);
    }
}

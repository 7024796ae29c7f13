package io.tributary.dialect.sqlserver;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

import io.tributary.core.spi.Dialect;
import io.tributary.core.template.BindMarkers;
import io.tributary.core.template.SqlSyntax;
import io.tributary.core.template.Variable;

/**
 * SQL Server: {@code @P0, @P1, ...} markers bound by name, window bounds bound as {@code datetime2(7)} in the
 * source's zone, the clock from {@code SYSUTCDATETIME()}.
 * <p>
 * SQL Server has no session time zone: a {@code datetime2} parameter compares with {@code datetime},
 * {@code datetime2} and {@code smalldatetime} columns as written, so it is the source's local time, the zone those
 * columns are read in. (A {@code datetimeoffset} parameter would turn such a column into {@code +00:00} values and
 * compare wrongly for any zone but UTC, and cost the index seek.)
 */
final class SqlServerDialect implements Dialect {

    static final SqlServerDialect INSTANCE = new SqlServerDialect();

    /** {@code datetime2(7)} in UTC; read as a zone-less value and taken as UTC. */
    static final String NOW_QUERY = "SELECT SYSUTCDATETIME()";

    /**
     * {@code @P0, @P1, ...}, one per occurrence, bound by name: r2dbc-mssql counts every {@code @word} of the text as
     * a parameter, including a procedure's {@code @from = } argument names.
     */
    static final BindMarkers MARKERS = new BindMarkers() {
        @Override
        public String marker(int index, Variable variable) {
            return "@P" + index;
        }

        @Override
        public Optional<String> bindName(int index, Variable variable) {
            return Optional.of("P" + index);
        }
    };

    private SqlServerDialect() {
    }

    @Override
    public String name() {
        return "sqlserver";
    }

    @Override
    public SqlSyntax syntax() {
        return SqlSyntax.STANDARD;
    }

    @Override
    public BindMarkers bindMarkers() {
        return MARKERS;
    }

    @Override
    public Object bindValue(Instant instant, ZoneId sourceZone) {
        return LocalDateTime.ofInstant(instant, sourceZone);
    }

    @Override
    public @Nullable Object normalize(@Nullable Object value) {
        if (value instanceof UUID uuid) {
            // the form SQL Server itself prints, so CAST(id AS char(36)) and the bare column give one reference
            return uuid.toString().toUpperCase(Locale.ROOT);
        }
        if (value instanceof ByteBuffer buffer) {
            byte[] bytes = new byte[buffer.remaining()];
            buffer.duplicate().get(bytes);
            return bytes;
        }
        return value;
    }
}

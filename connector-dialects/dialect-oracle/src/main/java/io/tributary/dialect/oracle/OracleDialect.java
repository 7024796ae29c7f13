package io.tributary.dialect.oracle;

import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;

import org.jspecify.annotations.Nullable;

import io.tributary.core.spi.Dialect;
import io.tributary.core.template.BindMarkers;
import io.tributary.core.template.SqlSyntax;
import oracle.sql.DATE;
import oracle.sql.NUMBER;
import oracle.sql.RAW;
import oracle.sql.TIMESTAMP;
import oracle.sql.TIMESTAMPTZ;

/**
 * Oracle: {@code :1, :2, ...} markers, window bounds bound as {@code TIMESTAMP} in the source's zone (the session's
 * time zone is set to it too, see {@link OracleHooks}), the clock from {@code SYS_EXTRACT_UTC(SYSTIMESTAMP)}.
 */
final class OracleDialect implements Dialect {

    static final OracleDialect INSTANCE = new OracleDialect();

    /** The database's time in UTC as a zone-less TIMESTAMP. */
    static final String NOW_QUERY = "SELECT SYS_EXTRACT_UTC(SYSTIMESTAMP) FROM DUAL";

    /** {@code :1, :2, ...}: ordinal placeholders, bound by position. */
    static final BindMarkers MARKERS = (index, variable) -> ":" + (index + 1);

    private OracleDialect() {
    }

    @Override
    public String name() {
        return "oracle";
    }

    @Override
    public SqlSyntax syntax() {
        return SqlSyntax.STANDARD;
    }

    @Override
    public BindMarkers bindMarkers() {
        return MARKERS;
    }

    /**
     * A TIMESTAMP of the source's local time: compares as written with DATE and TIMESTAMP columns, and through the
     * session time zone (the source's) with TIMESTAMP WITH (LOCAL) TIME ZONE columns.
     */
    @Override
    public Object bindValue(Instant instant, ZoneId sourceZone) {
        return LocalDateTime.ofInstant(instant, sourceZone);
    }

    /**
     * The column readers already ask for {@code java.time} types; this turns any {@code oracle.sql} value that still
     * arrives (through {@code getObject}) into the plain type, and never lets a {@link Timestamp} through: its instant
     * would depend on this JVM's zone.
     */
    @Override
    public @Nullable Object normalize(@Nullable Object value) {
        try {
            if (value instanceof TIMESTAMPTZ tz) {
                // not toOffsetDateTime: without a connection it cannot resolve a region such as Europe/Paris
                return tz.toZonedDateTime();
            }
            if (value instanceof TIMESTAMP ts) {
                return ts.toLocalDateTime();
            }
            if (value instanceof DATE date) {
                return date.toLocalDateTime();
            }
            if (value instanceof NUMBER number) {
                return number.bigDecimalValue();
            }
            if (value instanceof RAW raw) {
                return raw.getBytes();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the Oracle value " + value.getClass().getSimpleName()
                    + ": " + e.getMessage(), e);
        }
        if (value instanceof Timestamp ts) {
            return ts.toLocalDateTime();
        }
        return value;
    }
}

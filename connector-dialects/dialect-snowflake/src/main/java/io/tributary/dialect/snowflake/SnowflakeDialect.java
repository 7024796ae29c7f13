package io.tributary.dialect.snowflake;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.ZoneId;

import io.tributary.core.spi.Dialect;
import io.tributary.core.template.BindMarkers;
import io.tributary.core.template.SqlSyntax;

/**
 * Snowflake: {@code ?} markers, window bounds bound as {@code TIMESTAMP_LTZ} instants (the session's
 * {@code CLIENT_TIMESTAMP_TYPE_MAPPING}, see {@link SnowflakeSession}), the clock from
 * {@code CONVERT_TIMEZONE('UTC', CURRENT_TIMESTAMP())::TIMESTAMP_NTZ}. Values arrive as plain Java types already
 * (see {@link SnowflakeHooks}).
 */
final class SnowflakeDialect implements Dialect {

    static final SnowflakeDialect INSTANCE = new SnowflakeDialect();

    /** The service's clock in UTC, zone-less, read as UTC by the bridge. */
    static final String NOW_QUERY = "SELECT CONVERT_TIMEZONE('UTC', CURRENT_TIMESTAMP())::TIMESTAMP_NTZ";

    /** Strings take backslash escapes and {@code $$...$$} quotes; comments do not nest but rarely matter. */
    static final SqlSyntax SYNTAX = new SqlSyntax(true, true);

    private SnowflakeDialect() {
    }

    @Override
    public String name() {
        return "snowflake";
    }

    @Override
    public SqlSyntax syntax() {
        return SYNTAX;
    }

    @Override
    public BindMarkers bindMarkers() {
        return BindMarkers.QUESTION_MARK;
    }

    /**
     * A {@link Timestamp} of the instant: the driver binds it as nanoseconds since the epoch (this JVM's zone plays
     * no part), typed {@code TIMESTAMP_LTZ}; it does not bind {@code java.time} values at all.
     */
    @Override
    public Object bindValue(Instant instant, ZoneId sourceZone) {
        return Timestamp.from(instant);
    }
}

package io.tributary.dialect.mysql;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;

import org.jspecify.annotations.Nullable;

import io.tributary.core.spi.Dialect;
import io.tributary.core.template.BindMarkers;
import io.tributary.core.template.SqlSyntax;

/**
 * MySQL and MariaDB: {@code ?} bind markers, backslash escapes and backticks. Window bounds are bound as zone-less
 * {@code DATETIME} values in the source's zone, and the session's {@code time_zone} is the source's zone (see
 * {@link MySqlDialectProvider}), so that they compare right with {@code DATETIME} columns holding local times and
 * with {@code TIMESTAMP} columns alike.
 */
final class MySqlDialect implements Dialect {

    static final MySqlDialect INSTANCE = new MySqlDialect();

    /** {@code UTC_TIMESTAMP} ignores the session's zone, so it reads right whatever the session is set to. */
    static final String NOW_QUERY = "SELECT UTC_TIMESTAMP(6)";

    private MySqlDialect() {
    }

    @Override
    public String name() {
        return "mysql";
    }

    @Override
    public SqlSyntax syntax() {
        return SqlSyntax.MYSQL;
    }

    @Override
    public BindMarkers bindMarkers() {
        return BindMarkers.QUESTION_MARK;
    }

    /**
     * The bound in the source's zone, without a zone: MySQL has no timestamp-with-zone parameter. Truncated to
     * microseconds, MySQL's finest precision, so that the server does not round a bound up past a row.
     */
    @Override
    public Object bindValue(Instant instant, ZoneId sourceZone) {
        return LocalDateTime.ofInstant(instant.truncatedTo(ChronoUnit.MICROS), sourceZone);
    }

    @Override
    public @Nullable Object normalize(@Nullable Object value) {
        if (value instanceof ByteBuffer buffer) {
            byte[] bytes = new byte[buffer.remaining()];
            buffer.duplicate().get(bytes);
            return bytes;
        }
        if (value instanceof String[] set) {
            // SET: the members as a JSON array
            return Arrays.asList(set);
        }
        return value;
    }
}

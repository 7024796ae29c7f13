package io.tributary.dialect.mysql;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Arrays;

import org.jspecify.annotations.Nullable;

import io.tributary.core.spi.Dialect;
import io.tributary.core.template.BindMarkers;
import io.tributary.core.template.SqlSyntax;

/**
 * MySQL and MariaDB: {@code ?} bind markers, backslash escapes and backticks. A window bound stays an {@link Instant}
 * here; {@link MySqlSourceClient} turns the run's two bounds into zone-less {@code DATETIME} values and a fixed-offset
 * session zone together ({@link MySqlLocalWindow}), because the right local value of one bound depends on the other.
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
     * The bound itself: MySQL has no timestamp-with-zone parameter, and which local time stands for it depends on the
     * whole window ({@link MySqlLocalWindow}), which {@link MySqlSourceClient} sees when the statement runs.
     */
    @Override
    public Object bindValue(Instant instant, ZoneId sourceZone) {
        return instant;
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

package io.tributary.dialect.postgresql;

import java.nio.ByteBuffer;

import org.jspecify.annotations.Nullable;

import io.r2dbc.postgresql.codec.Interval;
import io.r2dbc.postgresql.codec.Json;
import io.tributary.core.mapping.RawJson;
import io.tributary.core.spi.Dialect;
import io.tributary.core.template.BindMarkers;
import io.tributary.core.template.SqlSyntax;

/**
 * PostgreSQL: {@code $n} bind markers, dollar quotes, window bounds bound as {@code timestamptz}. Zone-less
 * {@code timestamp} columns compare in the session's time zone, which the client sets to the source's zone.
 */
final class PostgresDialect implements Dialect {

    static final PostgresDialect INSTANCE = new PostgresDialect();

    /** {@code now()} is the transaction's start: the same instant for every use within the run's statement. */
    static final String NOW_QUERY = "SELECT now()";

    private PostgresDialect() {
    }

    @Override
    public String name() {
        return "postgresql";
    }

    @Override
    public SqlSyntax syntax() {
        return SqlSyntax.POSTGRESQL;
    }

    @Override
    public BindMarkers bindMarkers() {
        return BindMarkers.DOLLAR_NUMBERED;
    }

    @Override
    public @Nullable Object normalize(@Nullable Object value) {
        if (value instanceof Json json) {
            return new RawJson(json.asString());
        }
        if (value instanceof ByteBuffer buffer) {
            byte[] bytes = new byte[buffer.remaining()];
            buffer.duplicate().get(bytes);
            return bytes;
        }
        if (value instanceof Interval interval) {
            return interval.toString();
        }
        if (value instanceof Object[] array) {
            Object[] copy = new Object[array.length];
            for (int i = 0; i < array.length; i++) {
                copy[i] = normalize(array[i]);
            }
            return java.util.Arrays.asList(copy);
        }
        return value;
    }
}

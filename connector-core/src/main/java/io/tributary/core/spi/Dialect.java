package io.tributary.core.spi;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;

import org.jspecify.annotations.Nullable;

import io.tributary.core.template.BindMarkers;
import io.tributary.core.template.SqlSyntax;

/**
 * The pure part of a database's support: how its SQL is lexed, how bind markers are written, how a timestamp is
 * bound and how its driver's values become plain Java values. Immutable and stateless; no I/O.
 */
public interface Dialect {

    /** Short lower-case name, e.g. {@code postgresql}. */
    String name();

    /** The lexical rules of its SQL, for the statement template. */
    SqlSyntax syntax();

    /** How the template writes bind markers for this database. */
    BindMarkers bindMarkers();

    /**
     * The value bound for a window bound. Defaults to an {@code OffsetDateTime} in UTC, which drivers bind as a
     * timestamp with time zone.
     *
     * @param instant    the window bound
     * @param sourceZone the source's configured zone, for databases that compare zone-less
     */
    default Object bindValue(Instant instant, ZoneId sourceZone) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    /**
     * Turns a driver-specific value into one {@link io.tributary.core.mapping.FieldValues} handles: a JSON type
     * into {@link io.tributary.core.mapping.RawJson}, a buffer into {@code byte[]}, and so on. Plain values pass
     * through unchanged.
     */
    default @Nullable Object normalize(@Nullable Object driverValue) {
        return driverValue;
    }
}

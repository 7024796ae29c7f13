package io.tributary.core.jdbc;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.util.Locale;

import org.jspecify.annotations.Nullable;

/**
 * Reads one column of the current row as a plain Java value (see {@link io.tributary.core.mapping.FieldValues}).
 * Chosen once per column and result by {@link JdbcHooks#columnReader}, then called for every row.
 */
@FunctionalInterface
public interface JdbcColumnReader {

    /**
     * @param resultSet positioned on a row
     * @param column    1-based column index
     * @return the value, {@code null} for SQL NULL
     */
    @Nullable Object read(ResultSet resultSet, int column) throws SQLException;

    /** {@link ResultSet#getObject(int)}, left to the driver. */
    JdbcColumnReader OBJECT = ResultSet::getObject;

    /** Exact decimals. */
    JdbcColumnReader BIG_DECIMAL = ResultSet::getBigDecimal;

    /** Text, also of CLOBs: read whole, so that nothing stays bound to the cursor. */
    JdbcColumnReader STRING = ResultSet::getString;

    /** Bytes, also of BLOBs. */
    JdbcColumnReader BYTES = ResultSet::getBytes;

    /** A zone-less timestamp; never {@code java.sql.Timestamp}, whose instant depends on this JVM's zone. */
    JdbcColumnReader LOCAL_DATE_TIME = (rs, column) -> rs.getObject(column, LocalDateTime.class);

    /** A timestamp with an offset: an exact instant. */
    JdbcColumnReader OFFSET_DATE_TIME = (rs, column) -> rs.getObject(column, OffsetDateTime.class);

    /**
     * The standard choice by JDBC type: temporal values as {@code java.time} types, decimals exact, large objects
     * read whole, everything else as the driver's {@code getObject}.
     *
     * @param sqlType  {@link java.sql.ResultSetMetaData#getColumnType}
     * @param typeName {@link java.sql.ResultSetMetaData#getColumnTypeName}; pgjdbc reports {@code timestamptz}
     *                 as {@link Types#TIMESTAMP} and only the name tells it apart
     */
    static JdbcColumnReader standard(int sqlType, String typeName) {
        String name = typeName.toLowerCase(Locale.ROOT);
        switch (sqlType) {
            case Types.TIMESTAMP:
                return name.equals("timestamptz") || name.contains("time zone") ? OFFSET_DATE_TIME : LOCAL_DATE_TIME;
            case Types.TIMESTAMP_WITH_TIMEZONE:
                return OFFSET_DATE_TIME;
            case Types.DATE:
                return (rs, column) -> rs.getObject(column, LocalDate.class);
            case Types.TIME:
                return name.equals("timetz") ? (rs, column) -> rs.getObject(column, OffsetTime.class)
                        : (rs, column) -> rs.getObject(column, LocalTime.class);
            case Types.TIME_WITH_TIMEZONE:
                return (rs, column) -> rs.getObject(column, OffsetTime.class);
            case Types.NUMERIC:
            case Types.DECIMAL:
                return BIG_DECIMAL;
            case Types.CLOB:
            case Types.NCLOB:
            case Types.LONGVARCHAR:
            case Types.LONGNVARCHAR:
            case Types.SQLXML:
                return STRING;
            case Types.BLOB:
            case Types.BINARY:
            case Types.VARBINARY:
            case Types.LONGVARBINARY:
                return BYTES;
            default:
                return OBJECT;
        }
    }
}

package io.tributary.dialect.mysql;

import static java.util.Objects.requireNonNull;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

import org.jspecify.annotations.Nullable;

import io.asyncer.r2dbc.mysql.api.MySqlColumnMetadata;
import io.asyncer.r2dbc.mysql.constant.MySqlType;
import io.r2dbc.spi.ColumnMetadata;
import io.r2dbc.spi.Row;
import io.tributary.core.mapping.RawJson;
import io.tributary.core.r2dbc.R2dbcColumnReaders;

/**
 * Reads the MySQL types whose driver default would lose information or nest wrongly: {@code TIMESTAMP} (an instant,
 * which the server writes in the session's zone), {@code TIME} (a duration of up to 838 hours, not a time of day),
 * {@code BIT(n)}, signed {@code TINYINT(1)} (MySQL's {@code BOOLEAN}), {@code JSON}, and MariaDB's {@code JSON},
 * which reaches the client as {@code LONGTEXT}.
 */
final class MySqlColumnReaders implements R2dbcColumnReaders {

    private static final ColumnReader DEFAULT = (row, index) -> row.get(index);

    private final ColumnReader timestamp;

    /** @param sessionOffset the session's fixed-offset {@code time_zone}, in which the server writes TIMESTAMPs */
    MySqlColumnReaders(ZoneOffset sessionOffset) {
        requireNonNull(sessionOffset, "sessionOffset must not be null");
        // the wall time the server wrote, at the session's offset: the exact instant, never a local value that
        // the source's zone would read again (and an hour off in the repeated hour)
        this.timestamp = (row, index) -> {
            LocalDateTime value = row.get(index, LocalDateTime.class);
            return value == null ? null : value.toInstant(sessionOffset);
        };
    }

    @Override
    public ColumnReader forColumn(ColumnMetadata column) {
        if (!(column instanceof MySqlColumnMetadata mysql)) {
            return DEFAULT;
        }
        MySqlType type = mysql.getType();
        int precision = column.getPrecision() == null ? 0 : column.getPrecision();
        if (type == MySqlType.TINYINT && precision == 1) {
            return MySqlColumnReaders::tinyIntOne;
        }
        if (type == MySqlType.BIT) {
            return precision == 1 ? MySqlColumnReaders::bitOne : MySqlColumnReaders::bits;
        }
        if (type == MySqlType.TIMESTAMP) {
            return timestamp;
        }
        if (type == MySqlType.TIME) {
            return MySqlColumnReaders::time;
        }
        if (type == MySqlType.JSON) {
            return (row, index) -> json(row.get(index, String.class), false);
        }
        if (type == MySqlType.LONGTEXT || (type == MySqlType.TEXT && precision < 0)) {
            // MariaDB's JSON is LONGTEXT with a check; the protocol does not say which LONGTEXT is JSON
            return (row, index) -> json(row.get(index, String.class), true);
        }
        return DEFAULT;
    }

    /** 0 and 1 are false and true; any other value stays a number rather than being squashed into {@code true}. */
    private static @Nullable Object tinyIntOne(Row row, int index) {
        Integer value = row.get(index, Integer.class);
        if (value == null) {
            return null;
        }
        return value == 0 || value == 1 ? Boolean.valueOf(value == 1) : value;
    }

    private static @Nullable Object bitOne(Row row, int index) {
        ByteBuffer value = row.get(index, ByteBuffer.class);
        return value == null ? null : Boolean.valueOf(unsigned(value).signum() != 0);
    }

    /** {@code BIT(n)} as the unsigned number it holds, as MySQL shows it in {@code b + 0}. */
    private static @Nullable Object bits(Row row, int index) {
        ByteBuffer value = row.get(index, ByteBuffer.class);
        if (value == null) {
            return null;
        }
        BigInteger n = unsigned(value);
        return n.bitLength() < 64 ? (Object) n.longValue() : n;
    }

    private static BigInteger unsigned(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return new BigInteger(1, bytes);
    }

    /** {@code TIME} as MySQL writes it: {@code -838:59:59}, {@code 13:45:00.250000} trimmed to {@code 13:45:00.25}. */
    private static @Nullable Object time(Row row, int index) {
        Duration value = row.get(index, Duration.class);
        return value == null ? null : formatTime(value);
    }

    static String formatTime(Duration value) {
        Duration abs = value.abs();
        long hours = abs.toHours();
        StringBuilder sb = new StringBuilder(20);
        if (value.isNegative()) {
            sb.append('-');
        }
        sb.append(hours < 10 ? "0" : "").append(hours).append(':');
        int minutes = abs.toMinutesPart();
        int seconds = abs.toSecondsPart();
        sb.append(minutes < 10 ? "0" : "").append(minutes).append(':').append(seconds < 10 ? "0" : "").append(seconds);
        int micros = abs.toNanosPart() / 1000;
        if (micros != 0) {
            String fraction = String.format("%06d", micros);
            int end = fraction.length();
            while (fraction.charAt(end - 1) == '0') {
                end--;
            }
            sb.append('.').append(fraction, 0, end);
        }
        return sb.toString();
    }

    /** Valid JSON is nested; anything else stays text, so a stray value can never corrupt the fields' JSON. */
    private static @Nullable Object json(@Nullable String text, boolean containersOnly) {
        if (text == null) {
            return null;
        }
        boolean nest = containersOnly ? MySqlJson.isContainer(text) : MySqlJson.isValid(text);
        return nest ? new RawJson(text.strip()) : text;
    }
}

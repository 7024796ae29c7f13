package io.tributary.dialect.sqlserver;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.r2dbc.mssql.codec.DefaultCodecs;
import io.r2dbc.mssql.message.token.Column;
import io.r2dbc.mssql.message.token.ColumnMetadataToken;

/**
 * Builds TDS bytes as a SQL Server sends them (MS-TDS: COLMETADATA type info, then a row's value with its length
 * prefix) so that r2dbc-mssql's own decoders turn them into the Java values {@code Row.get(i)} returns.
 */
final class SqlServerTds {

    static final byte BITN = 0x68;
    static final byte DECIMALN = 0x6A;
    static final byte MONEYN = 0x6E;
    static final byte DATETIMN = 0x6F;
    static final byte DATEN = 0x28;
    static final byte TIMEN = 0x29;
    static final byte DATETIME2N = 0x2A;
    static final byte DATETIMEOFFSETN = 0x2B;
    static final byte GUID = 0x24;
    static final byte BIGVARBINARY = (byte) 0xA5;
    static final byte NVARCHAR = (byte) 0xE7;
    static final byte XML = (byte) 0xF1;

    /** SQL_Latin1_General_CP1_CI_AS. */
    static final byte[] COLLATION = {0x09, 0x04, (byte) 0xD0, 0x00, 0x34};

    private static final LocalDate TDS_DATE_ZERO = LocalDate.of(1, 1, 1);
    private static final LocalDate DATETIME_ZERO = LocalDate.of(1900, 1, 1);

    private SqlServerTds() {
    }

    /** The column r2dbc-mssql decodes from one COLMETADATA entry with this TYPE_INFO. */
    static Column column(String name, byte... typeInfo) {
        ByteBuf b = Unpooled.buffer();
        b.writeShortLE(1); // one column
        b.writeIntLE(0); // user type
        b.writeShortLE(0x0001); // flags: nullable
        b.writeBytes(typeInfo);
        b.writeByte(name.length());
        b.writeCharSequence(name, StandardCharsets.UTF_16LE);
        return ColumnMetadataToken.decode(b, false).getColumns()[0];
    }

    /** What {@code Row.get(index)} returns: the value decoded as {@code Object}. */
    static Object decode(Column column, ByteBuf value) {
        return new DefaultCodecs().decode(value, column, Object.class);
    }

    static ByteBuf datetime(LocalDateTime t) {
        ByteBuf b = Unpooled.buffer().writeByte(8);
        b.writeIntLE((int) ChronoUnit.DAYS.between(DATETIME_ZERO, t.toLocalDate()));
        // 1/300 s ticks since midnight
        b.writeIntLE((int) (t.toLocalTime().toNanoOfDay() * 3 / 10_000_000));
        return b;
    }

    static ByteBuf smalldatetime(LocalDateTime t) {
        ByteBuf b = Unpooled.buffer().writeByte(4);
        b.writeShortLE((int) ChronoUnit.DAYS.between(DATETIME_ZERO, t.toLocalDate()));
        b.writeShortLE(t.getHour() * 60 + t.getMinute());
        return b;
    }

    static ByteBuf date(LocalDate d) {
        ByteBuf b = Unpooled.buffer().writeByte(3);
        writeDate(b, d);
        return b;
    }

    static ByteBuf time7(LocalTime t) {
        ByteBuf b = Unpooled.buffer().writeByte(5);
        writeTime7(b, t);
        return b;
    }

    static ByteBuf datetime2(LocalDateTime t) {
        ByteBuf b = Unpooled.buffer().writeByte(8);
        writeTime7(b, t.toLocalTime());
        writeDate(b, t.toLocalDate());
        return b;
    }

    /** Time and date in UTC, then the offset in minutes. */
    static ByteBuf datetimeoffset(OffsetDateTime t) {
        ByteBuf b = Unpooled.buffer().writeByte(10);
        LocalDateTime utc = t.withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime();
        writeTime7(b, utc.toLocalTime());
        writeDate(b, utc.toLocalDate());
        b.writeShortLE(t.getOffset().getTotalSeconds() / 60);
        return b;
    }

    /** Sign byte then the unscaled magnitude, little-endian, in 8 bytes (precision up to 19). */
    static ByteBuf decimal(BigDecimal d) {
        ByteBuf b = Unpooled.buffer().writeByte(9);
        b.writeByte(d.signum() < 0 ? 0 : 1);
        b.writeLongLE(d.unscaledValue().abs().longValueExact());
        return b;
    }

    /** Money: value * 10^4 as a 64-bit integer, high half first. */
    static ByteBuf money(BigDecimal d) {
        long v = d.movePointRight(4).longValueExact();
        ByteBuf b = Unpooled.buffer().writeByte(8);
        b.writeIntLE((int) (v >>> 32));
        b.writeIntLE((int) v);
        return b;
    }

    static ByteBuf smallmoney(BigDecimal d) {
        return Unpooled.buffer().writeByte(4).writeIntLE(d.movePointRight(4).intValueExact());
    }

    static ByteBuf bit(boolean value) {
        return Unpooled.buffer().writeByte(1).writeByte(value ? 1 : 0);
    }

    /** A GUID's first three groups are little-endian, the last two as written. */
    static ByteBuf guid(UUID id) {
        ByteBuf b = Unpooled.buffer().writeByte(16);
        long high = id.getMostSignificantBits();
        b.writeIntLE((int) (high >>> 32));
        b.writeShortLE((int) (high >>> 16));
        b.writeShortLE((int) high);
        b.writeLong(id.getLeastSignificantBits());
        return b;
    }

    static ByteBuf nvarchar(String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_16LE);
        return Unpooled.buffer().writeShortLE(bytes.length).writeBytes(bytes);
    }

    static ByteBuf varbinary(byte[] bytes) {
        return Unpooled.buffer().writeShortLE(bytes.length).writeBytes(bytes);
    }

    private static void writeDate(ByteBuf b, LocalDate d) {
        writeLE(b, ChronoUnit.DAYS.between(TDS_DATE_ZERO, d), 3);
    }

    private static void writeTime7(ByteBuf b, LocalTime t) {
        writeLE(b, t.toNanoOfDay() / 100, 5);
    }

    private static void writeLE(ByteBuf b, long value, int bytes) {
        for (int i = 0; i < bytes; i++) {
            b.writeByte((int) (value >>> (8 * i)));
        }
    }

    static byte[] ushort(int value) {
        return new byte[] {(byte) value, (byte) (value >>> 8)};
    }

    static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] all = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, all, at, p.length);
            at += p.length;
        }
        return all;
    }
}

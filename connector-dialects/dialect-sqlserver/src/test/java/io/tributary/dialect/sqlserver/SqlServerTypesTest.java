package io.tributary.dialect.sqlserver;

import static io.tributary.dialect.sqlserver.SqlServerTds.BIGVARBINARY;
import static io.tributary.dialect.sqlserver.SqlServerTds.BITN;
import static io.tributary.dialect.sqlserver.SqlServerTds.COLLATION;
import static io.tributary.dialect.sqlserver.SqlServerTds.DATEN;
import static io.tributary.dialect.sqlserver.SqlServerTds.DATETIME2N;
import static io.tributary.dialect.sqlserver.SqlServerTds.DATETIMEOFFSETN;
import static io.tributary.dialect.sqlserver.SqlServerTds.DATETIMN;
import static io.tributary.dialect.sqlserver.SqlServerTds.DECIMALN;
import static io.tributary.dialect.sqlserver.SqlServerTds.GUID;
import static io.tributary.dialect.sqlserver.SqlServerTds.MONEYN;
import static io.tributary.dialect.sqlserver.SqlServerTds.NVARCHAR;
import static io.tributary.dialect.sqlserver.SqlServerTds.TIMEN;
import static io.tributary.dialect.sqlserver.SqlServerTds.XML;
import static io.tributary.dialect.sqlserver.SqlServerTds.column;
import static io.tributary.dialect.sqlserver.SqlServerTds.concat;
import static io.tributary.dialect.sqlserver.SqlServerTds.decode;
import static io.tributary.dialect.sqlserver.SqlServerTds.ushort;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.netty.buffer.ByteBuf;
import io.r2dbc.mssql.message.token.Column;
import io.tributary.core.ConnectorException;
import io.tributary.core.mapping.Columns;
import io.tributary.core.mapping.FieldValues;
import io.tributary.core.mapping.MappedRow;
import io.tributary.core.mapping.Registration;
import io.tributary.core.mapping.RegistrationMapper;
import io.tributary.core.mapping.SourceRow;

/**
 * What each SQL Server type becomes, from the bytes on the wire through r2dbc-mssql's own decoders (exactly what
 * {@code Row.get(i)} returns) and the dialect's normalisation to the custom field's JSON.
 */
class SqlServerTypesTest {

    static final ZoneId COPENHAGEN = ZoneId.of("Europe/Copenhagen");

    /** Decoded by the driver, normalised by the dialect. */
    private static Object read(Column column, ByteBuf value) {
        return SqlServerDialect.INSTANCE.normalize(decode(column, value));
    }

    private static String json(Object value, ZoneId zone) {
        return FieldValues.toJson(value, zone);
    }

    @Test
    void datetimeIsZoneLessAndReadInTheSourcesZone() {
        Object v = read(column("d", DATETIMN, (byte) 8), SqlServerTds.datetime(LocalDateTime.parse("2024-03-01T10:15:30.120")));

        assertThat(v).isEqualTo(LocalDateTime.parse("2024-03-01T10:15:30.120"));
        assertThat(json(v, COPENHAGEN)).isEqualTo("\"2024-03-01T09:15:30.120Z\"");
        assertThat(json(v, ZoneOffset.UTC)).isEqualTo("\"2024-03-01T10:15:30.120Z\"");
    }

    @Test
    void smalldatetimeHasMinutes() {
        Object v = read(column("d", DATETIMN, (byte) 4), SqlServerTds.smalldatetime(LocalDateTime.parse("2024-03-01T10:15")));

        assertThat(v).isEqualTo(LocalDateTime.parse("2024-03-01T10:15"));
        assertThat(json(v, ZoneOffset.UTC)).isEqualTo("\"2024-03-01T10:15:00Z\"");
    }

    @Test
    void datetime2KeepsItsSevenDigits() {
        Object v = read(column("d", DATETIME2N, (byte) 7), SqlServerTds.datetime2(LocalDateTime.parse("2024-03-01T10:15:30.1234567")));

        assertThat(v).isEqualTo(LocalDateTime.parse("2024-03-01T10:15:30.1234567"));
        assertThat(json(v, COPENHAGEN)).isEqualTo("\"2024-03-01T09:15:30.123456700Z\"");
    }

    @Test
    void datetimeoffsetIsAnExactInstantWhateverTheSourcesZone() {
        OffsetDateTime written = OffsetDateTime.parse("2024-03-01T10:15:30.1234567+02:00");
        Object v = read(column("d", DATETIMEOFFSETN, (byte) 7), SqlServerTds.datetimeoffset(written));

        assertThat(v).isEqualTo(written);
        assertThat(json(v, COPENHAGEN)).isEqualTo("\"2024-03-01T08:15:30.123456700Z\"");
        assertThat(FieldValues.toInstant(v, COPENHAGEN)).contains(Instant.parse("2024-03-01T08:15:30.1234567Z"));
    }

    @Test
    void dateAndTimeStayAsWritten() {
        Object date = read(column("d", DATEN), SqlServerTds.date(LocalDate.parse("2024-03-01")));
        Object time = read(column("t", TIMEN, (byte) 7), SqlServerTds.time7(LocalTime.parse("13:45:30.1234567")));

        assertThat(date).isEqualTo(LocalDate.parse("2024-03-01"));
        assertThat(json(date, COPENHAGEN)).isEqualTo("\"2024-03-01\"");
        assertThat(time).isEqualTo(LocalTime.parse("13:45:30.1234567"));
        assertThat(json(time, COPENHAGEN)).isEqualTo("\"13:45:30.1234567\"");
    }

    @Test
    void decimalAndMoneyStayExactWithTheirScale() {
        Object decimal = read(column("n", DECIMALN, (byte) 9, (byte) 18, (byte) 2), SqlServerTds.decimal(new BigDecimal("-12345.50")));
        Object money = read(column("m", MONEYN, (byte) 8), SqlServerTds.money(new BigDecimal("1234.5600")));

        assertThat(decimal).isEqualTo(new BigDecimal("-12345.50"));
        assertThat(json(decimal, ZoneOffset.UTC)).isEqualTo("-12345.50");
        assertThat(money).isEqualTo(new BigDecimal("1234.5600"));
        assertThat(json(money, ZoneOffset.UTC)).isEqualTo("1234.5600");
    }

    @Test
    void smallmoneyCannotBeReadByThisDriverVersionAndTheErrorSaysWhatToWrite() {
        Column smallmoney = column("fee", MONEYN, (byte) 4);

        assertThatThrownBy(() -> decode(smallmoney, SqlServerTds.smallmoney(new BigDecimal("36.8928"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("server type [smallmoney]");
        Throwable driverError = catchDecode(smallmoney, SqlServerTds.smallmoney(new BigDecimal("36.8928")));
        assertThat(SqlServerErrors.explain(new ConnectorException.Transient(driverError.getMessage(), driverError)))
                .isInstanceOf(ConnectorException.Permanent.class)
                .hasMessageContaining("CAST(column AS money)").hasMessageContaining("fee");
    }

    @Test
    void bitIsABoolean() {
        Object v = read(column("b", BITN, (byte) 1), SqlServerTds.bit(true));

        assertThat(v).isEqualTo(true);
        assertThat(json(v, ZoneOffset.UTC)).isEqualTo("true");
    }

    @Test
    void uniqueidentifierIsItsUpperCaseText() {
        UUID id = UUID.fromString("c70d7bf1-e5c7-40c5-98c7-a12f7e686724");
        Object v = read(column("id", GUID, (byte) 16), SqlServerTds.guid(id));

        assertThat(v).isEqualTo("C70D7BF1-E5C7-40C5-98C7-A12F7E686724");
    }

    @Test
    void nvarcharIsText() {
        Object v = read(column("s", concat(new byte[] {NVARCHAR}, ushort(100), COLLATION)), SqlServerTds.nvarchar("Søren \"ø\" ✓"));

        assertThat(v).isEqualTo("Søren \"ø\" ✓");
        assertThat(json(v, ZoneOffset.UTC)).isEqualTo("\"Søren \\\"ø\\\" ✓\"");
    }

    @Test
    void varbinaryIsBytesWrittenAsBase64() {
        Object v = read(column("b", concat(new byte[] {BIGVARBINARY}, ushort(16))), SqlServerTds.varbinary(new byte[] {(byte) 0xCA, (byte) 0xFE}));

        assertThat(v).isEqualTo(new byte[] {(byte) 0xCA, (byte) 0xFE});
        assertThat(json(v, ZoneOffset.UTC)).isEqualTo("\"yv4=\"");
    }

    @Test
    void xmlCannotBeReadByThisDriverAndTheErrorSaysWhatToWrite() {
        Throwable driverError = catchColumn(() -> column("doc", XML, (byte) 0));

        assertThat(driverError).isInstanceOf(IllegalStateException.class).hasMessageContaining("TypeBuilder for XML");
        assertThat(SqlServerErrors.explain(new ConnectorException.Transient(driverError.getMessage(), driverError)))
                .isInstanceOf(ConnectorException.Permanent.class).hasMessageContaining("CAST(column AS nvarchar(max))");
    }

    @Test
    void aRowOfDriverValuesMapsToARegistrationWithExactCustomFields() {
        Object reference = read(column("reference", GUID, (byte) 16), SqlServerTds.guid(UUID.fromString("c70d7bf1-e5c7-40c5-98c7-a12f7e686724")));
        Object memberId = read(column("MEMBER_ID", concat(new byte[] {NVARCHAR}, ushort(40), COLLATION)), SqlServerTds.nvarchar("m-7"));
        Object memberName = read(column("Member_Name", concat(new byte[] {NVARCHAR}, ushort(40), COLLATION)), SqlServerTds.nvarchar("Ada"));
        Object date = read(column("date", DATETIME2N, (byte) 7), SqlServerTds.datetime2(LocalDateTime.parse("2024-07-01T12:00")));
        Object amount = read(column("amount", MONEYN, (byte) 8), SqlServerTds.money(new BigDecimal("99.9900")));
        Object paid = read(column("paid", BITN, (byte) 1), SqlServerTds.bit(false));
        Object booked = read(column("booked", DATETIMEOFFSETN, (byte) 7), SqlServerTds.datetimeoffset(OffsetDateTime.parse("2024-07-01T12:00+02:00")));
        SourceRow row = new SourceRow(Columns.of("reference", "MEMBER_ID", "Member_Name", "date", "amount", "paid", "booked"),
                new Object[] {reference, memberId, memberName, date, amount, paid, booked});

        MappedRow mapped = new RegistrationMapper(COPENHAGEN).map(row, 1);

        assertThat(mapped).isInstanceOf(MappedRow.Mapped.class);
        Registration r = ((MappedRow.Mapped) mapped).registration();
        assertThat(r.reference()).isEqualTo("C70D7BF1-E5C7-40C5-98C7-A12F7E686724");
        assertThat(r.memberId()).isEqualTo("m-7");
        assertThat(r.memberName()).isEqualTo("Ada");
        assertThat(r.date()).isEqualTo(Instant.parse("2024-07-01T10:00:00Z"));
        assertThat(r.fieldsJson()).isEqualTo("{\"amount\":99.9900,\"paid\":false,\"booked\":\"2024-07-01T10:00:00Z\"}");
    }

    private static Throwable catchDecode(Column column, ByteBuf value) {
        try {
            decode(column, value);
        } catch (RuntimeException e) {
            return e;
        }
        throw new AssertionError("decoded");
    }

    private static Throwable catchColumn(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            return e;
        }
        throw new AssertionError("decoded");
    }
}

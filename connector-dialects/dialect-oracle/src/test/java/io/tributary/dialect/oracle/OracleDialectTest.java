package io.tributary.dialect.oracle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;

import org.junit.jupiter.api.Test;

import io.tributary.core.ConnectorException;
import io.tributary.core.mapping.Columns;
import io.tributary.core.mapping.FieldValues;
import io.tributary.core.mapping.MappedRow;
import io.tributary.core.mapping.Registration;
import io.tributary.core.mapping.RegistrationMapper;
import io.tributary.core.mapping.SourceRow;
import io.tributary.core.template.RenderedStatement;
import io.tributary.core.template.StatementTemplate;
import io.tributary.core.template.Variable;
import oracle.sql.DATE;
import oracle.sql.NUMBER;
import oracle.sql.RAW;
import oracle.sql.TIMESTAMP;
import oracle.sql.TIMESTAMPTZ;

class OracleDialectTest {

    static final ZoneId COPENHAGEN = ZoneId.of("Europe/Copenhagen");

    private static RenderedStatement render(String statement) {
        return StatementTemplate.parse(statement, OracleDialect.INSTANCE.syntax()).render(OracleDialect.INSTANCE.bindMarkers());
    }

    @Test
    void aSelectGetsOrdinalMarkers() {
        RenderedStatement r = render("SELECT id AS reference, seller AS member_id, seller_name AS member_name,"
                + " sold_at AS \"date\" FROM sales WHERE updated_at >= {{ last_update_time }}"
                + " AND updated_at < {{ upper_date_limit }} AND sold_at < {{ upper_date_limit }}");

        assertThat(r.sql()).isEqualTo("SELECT id AS reference, seller AS member_id, seller_name AS member_name,"
                + " sold_at AS \"date\" FROM sales WHERE updated_at >= :1 AND updated_at < :2 AND sold_at < :3");
        assertThat(r.parameters()).containsExactly(Variable.LAST_UPDATE_TIME, Variable.UPPER_DATE_LIMIT, Variable.UPPER_DATE_LIMIT);
        assertThat(OracleDialect.MARKERS.bindName(0, Variable.LAST_UPDATE_TIME)).as("bound by position").isEmpty();
    }

    @Test
    void aCallRunsAsABlockWithTheCursorAddedAsTheLastArgument() {
        RenderedStatement r = render("CALL sales_pkg.registrations_between({{ last_update_time }}, {{ upper_date_limit }});");

        assertThat(r.sql()).isEqualTo("CALL sales_pkg.registrations_between(:1, :2)");
        assertThat(OracleStatements.callWithCursor(r.sql(), 2))
                .isEqualTo("BEGIN sales_pkg.registrations_between(:1, :2, :3); END;");
        assertThat(OracleStatements.callWithCursor("call p()", 0)).isEqualTo("BEGIN p(:1); END;");
        assertThat(OracleStatements.callWithCursor("CALL p", 0)).isEqualTo("BEGIN p(:1); END;");
        assertThat(OracleStatements.callWithCursor("/* sales */ CALL \"Sales\".p(:1, 'x')", 1))
                .isEqualTo("BEGIN \"Sales\".p(:1, 'x', :2); END;");
        assertThat(OracleStatements.isCall("-- why\n  call p(:1)")).isTrue();
        assertThat(OracleStatements.isCall("SELECT 'CALL' FROM dual")).isFalse();
    }

    @Test
    void aCallWithTextAfterItsArgumentsAndExecAreRefusedWithTheFormToWrite() {
        assertThatThrownBy(() -> OracleStatements.callWithCursor("CALL p(:1) -- note", 1))
                .isInstanceOf(ConnectorException.Permanent.class).hasMessageContaining("CALL name(arguments)");
        assertThatThrownBy(() -> OracleStatements.rejectExec("EXEC p(:1, :2)"))
                .isInstanceOf(ConnectorException.Permanent.class).hasMessageContaining("Oracle has no EXEC statement")
                .hasMessageContaining("OUT SYS_REFCURSOR");
    }

    @Test
    void windowBoundsAreLocalTimestampsOfTheSourcesZoneAndTheClockIsUtc() {
        Instant bound = Instant.parse("2024-03-01T09:15:30.123456789Z");

        assertThat(OracleDialect.INSTANCE.bindValue(bound, COPENHAGEN)).isEqualTo(LocalDateTime.parse("2024-03-01T10:15:30.123456789"));
        assertThat(OracleDialect.INSTANCE.bindValue(bound, ZoneOffset.UTC)).isEqualTo(LocalDateTime.parse("2024-03-01T09:15:30.123456789"));
        assertThat(OracleDialect.NOW_QUERY).isEqualTo("SELECT SYS_EXTRACT_UTC(SYSTIMESTAMP) FROM DUAL");
        assertThat(OracleDialect.INSTANCE.name()).isEqualTo("oracle");
    }

    @Test
    void timestampWithTimeZoneIsAnExactInstant() throws SQLException {
        OffsetDateTime written = OffsetDateTime.parse("2024-03-01T10:15:30.123456789+02:00");

        Object v = OracleDialect.INSTANCE.normalize(TIMESTAMPTZ.of(written));

        assertThat(v).isEqualTo(written.toZonedDateTime());
        assertThat(FieldValues.toJson(v, COPENHAGEN)).isEqualTo("\"2024-03-01T08:15:30.123456789Z\"");
    }

    @Test
    void timestampWithARegionZoneKeepsTheInstant() throws SQLException {
        ZonedDateTime written = ZonedDateTime.of(LocalDateTime.parse("2024-07-01T12:00"), COPENHAGEN);
        TIMESTAMPTZ value = TIMESTAMPTZ.of(written);

        Object v = OracleDialect.INSTANCE.normalize(value);

        assertThat(v).isEqualTo(written);
        assertThat(FieldValues.toJson(v, ZoneOffset.UTC)).isEqualTo("\"2024-07-01T10:00:00Z\"");
        // the reason for toZonedDateTime: the offset form needs the server's time zone file for a region
        assertThatThrownBy(value::toOffsetDateTime).hasMessageContaining("Timezone not supported");
    }

    @Test
    void timestampAndDateAreZoneLessAndDateKeepsItsTimeOfDay() throws SQLException {
        Object timestamp = OracleDialect.INSTANCE.normalize(new TIMESTAMP(LocalDateTime.parse("2024-03-01T10:15:30.123456789")));
        Object date = OracleDialect.INSTANCE.normalize(DATE.of(LocalDateTime.parse("2024-03-01T10:15:30")));

        assertThat(timestamp).isEqualTo(LocalDateTime.parse("2024-03-01T10:15:30.123456789"));
        assertThat(date).isEqualTo(LocalDateTime.parse("2024-03-01T10:15:30"));
        assertThat(FieldValues.toJson(date, COPENHAGEN)).isEqualTo("\"2024-03-01T09:15:30Z\"");
    }

    @Test
    void aJdbcTimestampNeverDependsOnThisJvmsZone() {
        LocalDateTime written = LocalDateTime.parse("2024-03-01T10:15:30.5");

        assertThat(OracleDialect.INSTANCE.normalize(Timestamp.valueOf(written))).isEqualTo(written);
    }

    @Test
    void numberIsExactThoughOracleKeepsNoTrailingZeros() throws SQLException {
        Object big = OracleDialect.INSTANCE.normalize(new NUMBER(new BigDecimal("12345678901234567890.123456789")));
        Object money = OracleDialect.INSTANCE.normalize(new NUMBER(new BigDecimal("12.50")));

        assertThat(big).isEqualTo(new BigDecimal("12345678901234567890.123456789"));
        assertThat(FieldValues.toJson(big, COPENHAGEN)).isEqualTo("12345678901234567890.123456789");
        assertThat(FieldValues.toJson(money, COPENHAGEN)).isEqualTo("12.5");
    }

    @Test
    void rawIsBytes() {
        Object v = OracleDialect.INSTANCE.normalize(new RAW(new byte[] {(byte) 0xCA, (byte) 0xFE}));

        assertThat(v).isEqualTo(new byte[] {(byte) 0xCA, (byte) 0xFE});
        assertThat(FieldValues.toJson(v, COPENHAGEN)).isEqualTo("\"yv4=\"");
    }

    @Test
    void upperCaseColumnNamesFindTheStandardFieldsAndCustomFieldsKeepOraclesCase() throws SQLException {
        OracleDialect d = OracleDialect.INSTANCE;
        SourceRow row = new SourceRow(Columns.of("REFERENCE", "MEMBER_ID", "MEMBER_NAME", "date", "AMOUNT", "note"),
                new Object[] {d.normalize(new NUMBER(42)), "m-1", "Ada", d.normalize(DATE.of(LocalDateTime.parse("2024-07-01T12:00:30"))),
                        d.normalize(new NUMBER(new BigDecimal("12.50"))), "x"});

        MappedRow mapped = new RegistrationMapper(COPENHAGEN).map(row, 1);

        assertThat(mapped).isInstanceOf(MappedRow.Mapped.class);
        Registration r = ((MappedRow.Mapped) mapped).registration();
        assertThat(r.reference()).isEqualTo("42");
        assertThat(r.memberId()).isEqualTo("m-1");
        assertThat(r.memberName()).isEqualTo("Ada");
        assertThat(r.date()).isEqualTo(Instant.parse("2024-07-01T10:00:30Z"));
        assertThat(r.fieldsJson()).isEqualTo("{\"AMOUNT\":12.5,\"note\":\"x\"}");
    }
}

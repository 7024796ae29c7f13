package io.tributary.dialect.snowflake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Proxy;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.ZoneId;
import java.util.TimeZone;

import org.junit.jupiter.api.Test;

import io.tributary.core.jdbc.JdbcColumnReader;
import io.tributary.core.mapping.FieldValues;
import net.snowflake.client.api.resultset.SnowflakeType;
import net.snowflake.client.internal.core.ResultUtil;
import net.snowflake.client.jdbc.internal.snowflake.common.core.SFTimestamp;
import net.snowflake.client.jdbc.internal.snowflake.common.core.SnowflakeDateTimeFormat;

/**
 * The text the driver hands out for each timestamp type under Tributary's session formats, produced by the driver's
 * own conversion of the JSON result's cells (seconds since the epoch, and for TIMESTAMP_TZ the offset index), then
 * read by the column readers: the instant must come out exact.
 */
class SnowflakeValuesTest {

    static final ZoneId COPENHAGEN = ZoneId.of("Europe/Copenhagen");
    static final SnowflakeDateTimeFormat NTZ = SnowflakeDateTimeFormat.fromSqlFormat(SnowflakeSession.NTZ_FORMAT);
    static final SnowflakeDateTimeFormat OFFSET = SnowflakeDateTimeFormat.fromSqlFormat(SnowflakeSession.OFFSET_FORMAT);

    /** The JSON result's cell of a timestamp column as the driver turns it into text for getString. */
    private static String driverText(String cell, int internalType, ZoneId sessionZone) throws Throwable {
        SFTimestamp ts = ResultUtil.getSFTimestamp(cell, 9, internalType, 1, TimeZone.getTimeZone(sessionZone), null);
        return ResultUtil.getSFTimestampAsString(ts, internalType, 9, NTZ, OFFSET, OFFSET, null);
    }

    private static Object read(String typeName, int sqlType, String text) throws SQLException {
        ResultSet rs = (ResultSet) Proxy.newProxyInstance(SnowflakeValuesTest.class.getClassLoader(),
                new Class<?>[] {ResultSet.class}, (p, m, args) -> m.getName().equals("getString") ? text : null);
        return SnowflakeHooks.reader(sqlType, typeName).read(rs, 1);
    }

    @Test
    void timestampNtzIsTheWallClockReadInTheSourceZone() throws Throwable {
        // 2024-07-01 12:00:30.123456789 as written, zone-less: the cell holds it as if it were UTC
        String text = driverText("1719835230.123456789", Types.TIMESTAMP, COPENHAGEN);
        Object value = read("TIMESTAMPNTZ", Types.TIMESTAMP, text);

        assertThat(text).isEqualTo("2024-07-01T12:00:30.123456789");
        assertThat(FieldValues.toInstant(value, COPENHAGEN)).contains(Instant.parse("2024-07-01T10:00:30.123456789Z"));
        assertThat(FieldValues.toJson(value, COPENHAGEN)).isEqualTo("\"2024-07-01T10:00:30.123456789Z\"");
    }

    @Test
    void timestampLtzIsAnInstantShownInTheSessionZone() throws Throwable {
        String text = driverText("1719828030.5", SnowflakeType.EXTRA_TYPES_TIMESTAMP_LTZ, COPENHAGEN);
        Object value = read("TIMESTAMPLTZ", Types.TIMESTAMP, text);

        assertThat(text).isEqualTo("2024-07-01T12:00:30.500000000+02:00");
        assertThat(FieldValues.toJson(value, ZoneId.of("UTC"))).isEqualTo("\"2024-07-01T10:00:30.500Z\"");
    }

    @Test
    void timestampTzKeepsItsOwnOffset() throws Throwable {
        // offset index 1440 + minutes: -05:00 is 1140
        String text = driverText("1719853230.000000001 1140", SnowflakeType.EXTRA_TYPES_TIMESTAMP_TZ, COPENHAGEN);
        Object value = read("TIMESTAMPTZ", Types.TIMESTAMP_WITH_TIMEZONE, text);

        assertThat(text).isEqualTo("2024-07-01T12:00:30.000000001-05:00");
        assertThat(FieldValues.toInstant(value, COPENHAGEN)).contains(Instant.parse("2024-07-01T17:00:30.000000001Z"));
    }

    @Test
    void aWinterNtzValueTakesTheWinterOffset() throws Throwable {
        String text = driverText("1705320000", Types.TIMESTAMP, COPENHAGEN);

        assertThat(FieldValues.toInstant(read("TIMESTAMPNTZ", Types.TIMESTAMP, text), COPENHAGEN))
                .contains(Instant.parse("2024-01-15T11:00:00Z"));
    }

    @Test
    void timesAndDatesParseFromTheirFormats() throws Throwable {
        String time = ResultUtil.getSFTimeAsString(ResultUtil.getSFTime("49530.5", 9, null), 9,
                SnowflakeDateTimeFormat.fromSqlFormat("HH24:MI:SS.FF9"));

        assertThat(time).isEqualTo("13:45:30.500000000");
        assertThat(FieldValues.toJson(read("TIME", Types.TIME, time), COPENHAGEN)).isEqualTo("\"13:45:30.5\"");
        assertThat(FieldValues.toJson(read("DATE", Types.DATE, "2024-07-01"), COPENHAGEN)).isEqualTo("\"2024-07-01\"");
    }

    @Test
    void semiStructuredValuesAreNestedAndOtherTextStaysText() throws SQLException {
        assertThat(FieldValues.toJson(read("VARIANT", Types.VARCHAR, "{\n  \"a\": [1, 2.50],\n  \"s\": \"x \\\" y\"\n}"), COPENHAGEN))
                .as("indentation goes, the string's spaces and escaped quote stay").isEqualTo("{\"a\":[1,2.50],\"s\":\"x \\\" y\"}");
        assertThat(FieldValues.toJson(read("VARIANT", Types.VARCHAR, "\"text\""), COPENHAGEN)).isEqualTo("\"text\"");
        assertThat(FieldValues.toJson(read("ARRAY", Types.VARCHAR, "[1,\"b\"]"), COPENHAGEN)).isEqualTo("[1,\"b\"]");
        assertThat(FieldValues.toJson(read("OBJECT", Types.STRUCT, "{\"k\":null}"), COPENHAGEN)).isEqualTo("{\"k\":null}");
        assertThat(read("GEOGRAPHY", Types.VARCHAR, "{\"type\":\"Point\"}")).isEqualTo("{\"type\":\"Point\"}");
        assertThat(read("VARCHAR", Types.VARCHAR, "x")).isEqualTo("x");
    }

    @Test
    void aTimestampInAnotherFormatNamesTheCause() {
        assertThatThrownBy(() -> read("TIMESTAMPNTZ", Types.TIMESTAMP, "2024-07-01 12:00:30.000"))
                .isInstanceOf(SQLException.class).hasMessageContaining("output formats are not Tributary's");
    }

    @Test
    void eachTypeIsReadWithTheGetterThatKeepsItExact() throws SQLException {
        assertThat(getter("NUMBER", Types.BIGINT)).as("NUMBER(38,0) may exceed a long").isEqualTo("getBigDecimal");
        assertThat(getter("NUMBER", Types.DECIMAL)).isEqualTo("getBigDecimal");
        assertThat(getter("DECFLOAT", Types.DECIMAL)).isEqualTo("getBigDecimal");
        assertThat(getter("BINARY", Types.BINARY)).isEqualTo("getBytes");
        assertThat(getter("DOUBLE", Types.DOUBLE)).isEqualTo("getObject");
        assertThat(getter("BOOLEAN", Types.BOOLEAN)).isEqualTo("getObject");
        assertThat(getter("TIMESTAMPNTZ", Types.TIMESTAMP)).isEqualTo("getString");
        assertThat(getter("TIMESTAMPLTZ", Types.TIMESTAMP)).isEqualTo("getString");
        assertThat(getter("VECTOR", SnowflakeType.EXTRA_TYPES_VECTOR)).isEqualTo("getString");
        assertThat(getter("INTERVAL_DAY_TIME", SnowflakeType.EXTRA_TYPES_DAY_TIME_INTERVAL)).isEqualTo("getObject");
        assertThat(getter("UUID", Types.OTHER)).isEqualTo("getString");
    }

    private static String getter(String typeName, int sqlType) throws SQLException {
        StringBuilder called = new StringBuilder();
        ResultSet rs = (ResultSet) Proxy.newProxyInstance(SnowflakeValuesTest.class.getClassLoader(),
                new Class<?>[] {ResultSet.class}, (p, m, args) -> {
                    called.append(m.getName());
                    return null;
                });
        JdbcColumnReader reader = SnowflakeHooks.reader(sqlType, typeName);
        reader.read(rs, 1);
        return called.toString();
    }
}

package io.tributary.dialect.mysql;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

import io.tributary.testkit.DialectBehaviourSuite;
import io.tributary.testkit.TypeCase;

/**
 * The behaviour suite against MariaDB ({@code TRIBUTARY_TEST_MARIADB_URL}, default the local MariaDB 10.11) through
 * r2dbc-mysql, with MariaDB's types.
 */
class MariaDbBehaviourIT extends DialectBehaviourSuite {

    static final String URL = env("TRIBUTARY_TEST_MARIADB_URL", "mariadb://root@127.0.0.1:3306/test");
    static final String JDBC_URL = env("TRIBUTARY_TEST_MARIADB_JDBC_URL", "jdbc:mariadb://127.0.0.1:3306/test?user=root");

    @Override
    protected String url() {
        return URL;
    }

    @Override
    protected String jdbcUrl() {
        return JDBC_URL;
    }

    @Override
    protected String tablePrefix() {
        return "tbs_maria";
    }

    @Override
    protected String zonelessTimestampType() {
        return "DATETIME(6)";
    }

    @Override
    protected String zonedTimestampType() {
        return "TIMESTAMP(6) NULL";
    }

    @Override
    protected String tableOptions() {
        // a fresh server's test database may default to latin1; the emoji cases need utf8mb4
        return " DEFAULT CHARSET=utf8mb4";
    }

    /** A region with daylight saving time: it needs no time zone tables on the server (the local MariaDB has none). */
    @Override
    protected ZoneId nonUtcZone() {
        return ZoneId.of("America/New_York");
    }

    @Override
    protected List<TypeCase> typeCases() {
        return List.of(
                TypeCase.of("dec_wide", "DECIMAL(30,10)", "12345678901234567890.0123456789", "12345678901234567890.0123456789"),
                TypeCase.of("dec_money", "DECIMAL(12,2)", "12.50", "12.50"),
                TypeCase.of("big", "BIGINT", "-9223372036854775808", "-9223372036854775808"),
                TypeCase.of("big_unsigned", "BIGINT UNSIGNED", "18446744073709551615", "18446744073709551615"),
                TypeCase.of("int_unsigned", "INT UNSIGNED", "4294967295", "4294967295"),
                TypeCase.of("medium", "MEDIUMINT", "-8388608", "-8388608"),
                TypeCase.of("small", "SMALLINT", "-32768", "-32768"),
                TypeCase.of("tiny", "TINYINT", "-128", "-128"),
                TypeCase.of("tiny_unsigned", "TINYINT UNSIGNED", "255", "255"),
                TypeCase.of("flag_true", "BOOLEAN", "TRUE", "true"),
                TypeCase.of("flag_false", "TINYINT(1)", "0", "false"),
                TypeCase.of("flag_other", "TINYINT(1)", "5", "5"),
                TypeCase.of("bit_one", "BIT(1)", "b'1'", "true"),
                TypeCase.of("bit_ten", "BIT(10)", "b'1010000001'", "641"),
                TypeCase.of("bit_wide", "BIT(64)", "b'" + "1".repeat(64) + "'", "18446744073709551615"),
                TypeCase.of("real_float", "FLOAT", "1.5", "1.5"),
                TypeCase.of("real_double", "DOUBLE", "2.25", "2.25"),
                TypeCase.of("datetime_micros", "DATETIME(6)", "'2024-03-01 10:00:00.123456'", "\"2024-03-01T10:00:00.123456Z\""),
                TypeCase.of("datetime_seconds", "DATETIME", "'2024-03-01 10:00:00'", "\"2024-03-01T10:00:00Z\""),
                TypeCase.of("stamp", "TIMESTAMP(6) NULL", "'2024-03-01 10:00:00.5'", "\"2024-03-01T10:00:00.500Z\""),
                TypeCase.of("day", "DATE", "'2024-02-29'", "\"2024-02-29\""),
                TypeCase.of("time_of_day", "TIME", "'13:45:30'", "\"13:45:30\""),
                TypeCase.of("time_negative", "TIME(6)", "'-838:59:59'", "\"-838:59:59\""),
                TypeCase.of("time_fraction", "TIME(6)", "'25:00:00.25'", "\"25:00:00.25\""),
                TypeCase.of("year_value", "YEAR", "2024", "2024"),
                TypeCase.of("json_object", "JSON", "'{\"a\": [1, 2.50, {\"b\": null}], \"s\": \"é😀\"}'",
                        "{\"a\": [1, 2.50, {\"b\": null}], \"s\": \"é😀\"}"),
                TypeCase.of("json_array", "JSON", "'[1, \"two\", true]'", "[1, \"two\", true]"),
                TypeCase.of("longtext_json", "LONGTEXT", "'{\"k\":1}'", "{\"k\":1}"),
                TypeCase.of("longtext_plain", "LONGTEXT", "'{not json'", "\"{not json\""),
                TypeCase.of("medium_text", "MEDIUMTEXT", "'[1]'", "\"[1]\""),
                TypeCase.of("blob_value", "BLOB", "x'00FF10'", "\"AP8Q\""),
                TypeCase.of("varbinary_value", "VARBINARY(10)", "x'0102'", "\"AQI=\""),
                TypeCase.of("binary_value", "BINARY(4)", "x'01020304'", "\"AQIDBA==\""),
                TypeCase.of("enum_value", "ENUM('small','large')", "'large'", "\"large\""),
                TypeCase.of("set_value", "SET('a','b','c')", "'a,c'", "[\"a\",\"c\"]"),
                TypeCase.of("text_utf8mb4", "VARCHAR(50)", "'héllo 😀 \"q\" \\\\ tab\\t'", "\"héllo 😀 \\\"q\\\" \\\\ tab\\t\""),
                TypeCase.of("char_value", "CHAR(3)", "'ab'", "\"ab\""),
                TypeCase.of("point_value", "POINT", "POINT(1, 2)", "\"AAAAAAEBAAAAAAAAAAAA8D8AAAAAAAAAQA==\""));
    }

    @Override
    protected List<String> createProcedure(String name, String table) {
        return List.of("CREATE PROCEDURE " + name + "(IN lower_bound DATETIME(6), IN upper_bound DATETIME(6)) READS SQL DATA "
                + "BEGIN SELECT reference, member_id, member_name, date, team_name, amount FROM " + table
                + " WHERE date >= lower_bound AND date < upper_bound ORDER BY date; END");
    }

    @Override
    protected String dropProcedure(String name) {
        return "DROP PROCEDURE IF EXISTS " + name;
    }

    @Override
    protected String callProcedure(String name) {
        return "CALL " + name + "({{ last_update_time }}, {{ upper_date_limit }})";
    }

    @Override
    protected List<String> createWriter(String name, String table) {
        return List.of("CREATE PROCEDURE " + name + "(IN lower_bound DATETIME(6), IN upper_bound DATETIME(6)) MODIFIES SQL DATA "
                + "BEGIN DELETE FROM " + table + "; SELECT 'x' AS reference, 'm' AS member_id, 'n' AS member_name, "
                + "lower_bound AS date; END");
    }

    @Override
    protected String dropWriter(String name) {
        return dropProcedure(name);
    }

    @Override
    protected String writingStatement(String name, String table) {
        return callProcedure(name);
    }

    @Override
    protected String readOnlyViolation() {
        return "READ ONLY transaction";
    }

    @Override
    protected String generatedRowsStatement(int rows, int padding, String marker) {
        // MariaDB's sequence engine: seq_1_to_N is a table of N rows without storage
        return "SELECT /* " + marker + " */ CONCAT('r', seq) AS reference, CONCAT('m', seq % 100) AS member_id, "
                + "'Member' AS member_name, TIMESTAMP '2024-01-01 00:00:00' + INTERVAL seq MICROSECOND AS date, "
                + "REPEAT('x', " + padding + ") AS pad FROM seq_1_to_" + rows
                + " WHERE {{ last_update_time }} < {{ upper_date_limit }}";
    }

    @Override
    protected int killSessionsRunning(Connection admin, String marker) throws SQLException {
        List<Long> ids = new ArrayList<>();
        try (PreparedStatement find = admin.prepareStatement("SELECT ID FROM information_schema.PROCESSLIST "
                + "WHERE INFO LIKE ? AND ID <> CONNECTION_ID()")) {
            find.setString(1, "%" + marker + "%");
            try (ResultSet rs = find.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getLong(1));
                }
            }
        }
        try (Statement kill = admin.createStatement()) {
            for (long id : ids) {
                kill.execute("KILL " + id);
            }
        }
        return ids.size();
    }
}

package io.tributary.dialect.postgresql;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.ZoneId;
import java.util.List;

import io.tributary.testkit.DialectBehaviourSuite;
import io.tributary.testkit.TypeCase;

/**
 * The behaviour suite against PostgreSQL ({@code TRIBUTARY_TEST_POSTGRES_URL}, default the local PostgreSQL 15),
 * with PostgreSQL's types.
 */
class PostgresBehaviourIT extends DialectBehaviourSuite {

    static final String URL = env("TRIBUTARY_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test");
    static final String JDBC_URL = env("TRIBUTARY_TEST_POSTGRES_JDBC_URL", "jdbc:postgresql://127.0.0.1:5432/test?user=postgres");

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
        return "tbs_pg";
    }

    @Override
    protected String zonelessTimestampType() {
        return "timestamp(6)";
    }

    @Override
    protected String zonedTimestampType() {
        return "timestamptz";
    }

    @Override
    protected ZoneId nonUtcZone() {
        return ZoneId.of("America/New_York");
    }

    @Override
    protected List<TypeCase> typeCases() {
        return List.of(
                TypeCase.of("dec_wide", "numeric(30,10)", "12345678901234567890.0123456789", "12345678901234567890.0123456789"),
                TypeCase.of("dec_money", "numeric(12,2)", "12.50", "12.50"),
                TypeCase.of("dec_tiny", "numeric", "0.00000000000000000001", "0.00000000000000000001"),
                TypeCase.of("big", "bigint", "-9223372036854775808", "-9223372036854775808"),
                TypeCase.of("int_value", "integer", "2147483647", "2147483647"),
                TypeCase.of("small", "smallint", "-32768", "-32768"),
                TypeCase.of("flag", "boolean", "true", "true"),
                TypeCase.of("real_float", "real", "1.5", "1.5"),
                TypeCase.of("real_double", "double precision", "2.25", "2.25"),
                TypeCase.of("not_a_number", "double precision", "'NaN'", "\"NaN\""),
                TypeCase.of("stamp_local", "timestamp(6)", "'2024-03-01 10:00:00.123456'", "\"2024-03-01T10:00:00.123456Z\""),
                TypeCase.of("stamp_zoned", "timestamptz", "'2024-03-01 11:00:00.5+01'", "\"2024-03-01T10:00:00.500Z\""),
                TypeCase.of("day", "date", "'2024-02-29'", "\"2024-02-29\""),
                TypeCase.of("time_of_day", "time", "'13:45:30'", "\"13:45:30\""),
                TypeCase.of("json_value", "json", "'{\"a\": [1, 2.50, {\"b\": null}], \"s\": \"é😀\"}'",
                        "{\"a\": [1, 2.50, {\"b\": null}], \"s\": \"é😀\"}"),
                TypeCase.of("jsonb_value", "jsonb", "'{\"b\": 1, \"a\": [1, 2.50]}'", "{\"a\": [1, 2.50], \"b\": 1}"),
                TypeCase.of("bytes", "bytea", "'\\x00ff10'", "\"AP8Q\""),
                TypeCase.of("id", "uuid", "'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'", "\"a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11\""),
                TypeCase.of("numbers", "integer[]", "'{1,2,3}'", "[1,2,3]"),
                TypeCase.of("words", "text[]", "'{\"a\",\"b c\"}'", "[\"a\",\"b c\"]"),
                TypeCase.of("text_utf8", "text", "'héllo 😀 \"q\" \\ tab' || chr(9)", "\"héllo 😀 \\\"q\\\" \\\\ tab\\t\""),
                TypeCase.of("padded", "char(3)", "'ab'", "\"ab \""));
    }

    @Override
    protected List<String> createProcedure(String name, String table) {
        // PostgreSQL's way to return rows from a routine: a set-returning function, called in a SELECT
        return List.of("CREATE FUNCTION " + name + "(lower_bound timestamptz, upper_bound timestamptz) "
                + "RETURNS TABLE (reference varchar, member_id varchar, member_name varchar, date timestamp, "
                + "team_name varchar, amount numeric) LANGUAGE sql STABLE AS $$ SELECT reference, member_id, member_name, "
                + "date, team_name, amount FROM " + table + " WHERE date >= lower_bound AND date < upper_bound ORDER BY date $$");
    }

    @Override
    protected String dropProcedure(String name) {
        return "DROP FUNCTION IF EXISTS " + name + "(timestamptz, timestamptz)";
    }

    @Override
    protected String callProcedure(String name) {
        return "SELECT * FROM " + name + "({{ last_update_time }}, {{ upper_date_limit }})";
    }

    @Override
    protected String writingStatement(String name, String table) {
        return "WITH gone AS (DELETE FROM " + table + " RETURNING reference, member_id, member_name, date) "
                + "SELECT * FROM gone WHERE date >= {{ last_update_time }} AND date < {{ upper_date_limit }}";
    }

    @Override
    protected String readOnlyViolation() {
        // a data-modifying WITH is reported by its top-level command: "cannot execute SELECT in a read-only transaction"
        return "in a read-only transaction";
    }

    @Override
    protected String generatedRowsStatement(int rows, int padding, String marker) {
        return "SELECT /* " + marker + " */ 'r' || g AS reference, 'm' || (g % 100) AS member_id, 'Member' AS member_name, "
                + "TIMESTAMP '2024-01-01 00:00:00' + g * INTERVAL '1 microsecond' AS date, repeat('x', " + padding
                + ") AS pad FROM generate_series(1, " + rows + ") AS g WHERE {{ last_update_time }} < {{ upper_date_limit }}";
    }

    @Override
    protected int killSessionsRunning(Connection admin, String marker) throws SQLException {
        try (PreparedStatement kill = admin.prepareStatement("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                + "WHERE query LIKE ? AND pid <> pg_backend_pid()")) {
            kill.setString(1, "%" + marker + "%");
            try (ResultSet rs = kill.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }
}

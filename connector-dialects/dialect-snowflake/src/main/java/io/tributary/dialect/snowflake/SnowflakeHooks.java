package io.tributary.dialect.snowflake;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Types;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import io.tributary.core.ConnectorException;
import io.tributary.core.jdbc.JdbcColumnReader;
import io.tributary.core.jdbc.JdbcHooks;
import io.tributary.core.mapping.RawJson;
import io.tributary.core.template.RenderedStatement;

/**
 * Snowflake's additions to the JDBC bridge:
 * <ul>
 * <li>no read-only transaction: Snowflake has none and the driver ignores {@code setReadOnly}; the role's grants
 * are the guard;</li>
 * <li>{@code CALL proc(?, ?)} of a procedure {@code RETURNS TABLE (...)} runs as it is and streams its table;
 * {@code EXEC} is refused with that form as the hint;</li>
 * <li>every timestamp, date and time is read as the text of the session's output formats ({@link SnowflakeSession})
 * and parsed exactly: {@code TIMESTAMP_NTZ} a zone-less {@code LocalDateTime} (read in the source's zone),
 * {@code TIMESTAMP_LTZ} and {@code TIMESTAMP_TZ} an {@code OffsetDateTime}; the driver's {@code getTimestamp} would
 * move values through this JVM's zone, and it has no {@code getObject(i, LocalDateTime.class)};</li>
 * <li>{@code NUMBER} exact, {@code VARIANT} / {@code OBJECT} / {@code ARRAY} (and structured types) nested JSON
 * without Snowflake's indentation,
 * {@code BINARY} bytes;</li>
 * <li>a refused login (wrong password, invalid key) is permanent although the driver reports it
 * with the connection SQL state 08001; a dropped connection or an expired token passes.</li>
 * </ul>
 */
final class SnowflakeHooks implements JdbcHooks {

    static final SnowflakeHooks INSTANCE = new SnowflakeHooks();

    /**
     * Login errors a retry cannot cure: 390100 incorrect username or password, 390144 invalid JWT (wrong key or
     * fingerprint). Retrying them also counts towards the user's lock-out.
     */
    static final Set<Integer> PERMANENT_CODES = Set.of(390100, 390144);

    /** 250001 could not reach the service, 390114 session token expired, 000604 statement cancelled. */
    static final Set<Integer> TRANSIENT_CODES = Set.of(250001, 390114, 604);

    private SnowflakeHooks() {
    }

    @Override
    public void beginReadOnly(Connection connection) {
        // Snowflake has no read-only transactions; the driver logs and ignores setReadOnly
    }

    @Override
    public PreparedStatement prepare(Connection connection, RenderedStatement statement) throws SQLException {
        rejectExec(statement.sql());
        return JdbcHooks.super.prepare(connection, statement);
    }

    @Override
    public JdbcColumnReader columnReader(ResultSetMetaData metadata, int column) throws SQLException {
        return reader(metadata.getColumnType(column), metadata.getColumnTypeName(column));
    }

    /** The reader for one Snowflake column, by the driver's type name first. */
    static JdbcColumnReader reader(int sqlType, String typeName) {
        String name = typeName.toUpperCase(Locale.ROOT);
        switch (name) {
            case "TIMESTAMPNTZ":
            case "TIMESTAMP_NTZ":
                return text(LocalDateTime::parse);
            case "TIMESTAMPLTZ":
            case "TIMESTAMP_LTZ":
            case "TIMESTAMPTZ":
            case "TIMESTAMP_TZ":
                return text(OffsetDateTime::parse);
            case "DATE":
                return text(LocalDate::parse);
            case "TIME":
                return text(LocalTime::parse);
            case "VARIANT":
            case "OBJECT":
            case "ARRAY":
            case "MAP":
            case "VECTOR":
                return SnowflakeHooks::json;
            case "NUMBER":
            case "DECIMAL":
            case "DECFLOAT":
            case "FIXED":
                return JdbcColumnReader.BIG_DECIMAL;
            case "BINARY":
                return JdbcColumnReader.BYTES;
            default:
                break;
        }
        switch (sqlType) {
            case Types.BIGINT:
            case Types.INTEGER:
            case Types.SMALLINT:
            case Types.TINYINT:
            case Types.DECIMAL:
            case Types.NUMERIC:
                // NUMBER(p, 0) is reported as BIGINT and may exceed a long
                return JdbcColumnReader.BIG_DECIMAL;
            case Types.STRUCT:
            case Types.ARRAY:
                return SnowflakeHooks::json;
            case Types.BINARY:
            case Types.VARBINARY:
                return JdbcColumnReader.BYTES;
            case Types.CHAR:
            case Types.VARCHAR:
            case Types.LONGVARCHAR:
            case Types.OTHER:
                // text, GEOGRAPHY / GEOMETRY in their output format, intervals, and types newer than this code
                return JdbcColumnReader.STRING;
            default:
                return JdbcColumnReader.OBJECT;
        }
    }

    /** Semi-structured text as nested JSON, without the indentation Snowflake prints it with. */
    private static @Nullable RawJson json(java.sql.ResultSet rs, int column) throws SQLException {
        String json = rs.getString(column);
        return json == null ? null : new RawJson(compact(json));
    }

    /** {@code json} without whitespace outside its strings. */
    static String compact(String json) {
        StringBuilder out = new StringBuilder(json.length());
        boolean inString = false;
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            if (inString) {
                out.append(c);
                if (c == '\\' && i + 1 < json.length()) {
                    out.append(json.charAt(++i));
                } else if (c == '"') {
                    inString = false;
                }
            } else if (c == '"') {
                inString = true;
                out.append(c);
            } else if (!Character.isWhitespace(c)) {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** Reads the value as text and parses it; a text of another format names the setting that changed it. */
    private static JdbcColumnReader text(Parser parser) {
        return (rs, i) -> {
            String s = rs.getString(i);
            if (s == null) {
                return null;
            }
            try {
                return parser.parse(s);
            } catch (DateTimeParseException e) {
                throw new SQLException("cannot read the Snowflake value '" + s + "': the session's output formats "
                        + "are not Tributary's (did a procedure ALTER SESSION?)", "22007", e);
            }
        };
    }

    @FunctionalInterface
    private interface Parser {
        @Nullable Object parse(String text);
    }

    @Override
    public Optional<Boolean> retryable(SQLException e) {
        if (PERMANENT_CODES.contains(e.getErrorCode())) {
            return Optional.of(false);
        }
        return TRANSIENT_CODES.contains(e.getErrorCode()) ? Optional.of(true) : Optional.empty();
    }

    /** Snowflake runs a procedure with CALL; EXEC is not Snowflake SQL. */
    static void rejectExec(String sql) {
        String s = sql.stripLeading();
        int end = 0;
        while (end < s.length() && Character.isLetter(s.charAt(end))) {
            end++;
        }
        String word = s.substring(0, end).toUpperCase(Locale.ROOT);
        if (word.equals("EXEC") || word.equals("EXECUTE")) {
            throw new ConnectorException.Permanent("Snowflake has no EXEC statement: write CALL name({{ last_update_time }},"
                    + " {{ upper_date_limit }}) for a procedure that RETURNS TABLE (...)");
        }
    }
}

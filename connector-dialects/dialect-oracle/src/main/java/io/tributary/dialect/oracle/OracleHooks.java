package io.tributary.dialect.oracle;

import static java.util.Objects.requireNonNull;

import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import io.tributary.core.jdbc.JdbcColumnReader;
import io.tributary.core.jdbc.JdbcHooks;
import io.tributary.core.mapping.RawJson;
import io.tributary.core.template.RenderedStatement;
import oracle.jdbc.OracleConnection;
import oracle.jdbc.OracleTypes;

/**
 * Oracle's additions to the JDBC bridge:
 * <ul>
 * <li>each run sets the session time zone to the source's, then {@code SET TRANSACTION READ ONLY}: the statement
 * sees one consistent snapshot and cannot write;</li>
 * <li>{@code CALL proc(...)} runs as {@code BEGIN proc(..., :n); END;} and streams the OUT SYS_REFCURSOR
 * (see {@link OracleStatements});</li>
 * <li>DATE keeps its time of day, NUMBER stays exact, CLOB is read as text, RAW and BLOB as bytes, JSON nested;</li>
 * <li>ORA-01555 (snapshot too old), deadlocks and busy resources are worth a retry; a refused login is not, even
 * when the pool reports it as a connection timeout.</li>
 * </ul>
 */
final class OracleHooks implements JdbcHooks {

    static final String READ_ONLY = "SET TRANSACTION READ ONLY";

    /** Vendor codes that pass: snapshot too old, deadlock, busy resource, discarded package state, cancelled. */
    static final Set<Integer> TRANSIENT_CODES = Set.of(1555, 60, 54, 30006, 4068, 4061, 8176, 8177, 1013);

    /**
     * Vendor codes a retry cannot cure: wrong credentials, locked or expired account, no CREATE SESSION, unknown
     * service or SID. Retrying a wrong password also counts towards the profile's FAILED_LOGIN_ATTEMPTS lock.
     */
    static final Set<Integer> PERMANENT_CODES = Set.of(1017, 28000, 28001, 1045, 12514, 12505);

    private final ZoneId zone;

    OracleHooks(ZoneId zone) {
        this.zone = requireNonNull(zone, "zone must not be null");
    }

    @Override
    public void beginReadOnly(Connection connection) throws SQLException {
        // through the driver, so that its own TIMESTAMP WITH LOCAL TIME ZONE conversions use the same zone
        connection.unwrap(OracleConnection.class).setSessionTimeZone(sessionZone(zone));
        try (Statement st = connection.createStatement()) {
            // must open the transaction: nothing transactional may run before it
            st.execute(READ_ONLY);
        }
    }

    /** Oracle's name for the zone: a region as it is, an offset as {@code +hh:mm} ({@code Z} is not one). */
    static String sessionZone(ZoneId zone) {
        return zone instanceof ZoneOffset offset ? (offset.getTotalSeconds() == 0 ? "+00:00" : offset.getId()) : zone.getId();
    }

    @Override
    public PreparedStatement prepare(Connection connection, RenderedStatement statement) throws SQLException {
        OracleStatements.rejectExec(statement.sql());
        if (!OracleStatements.isCall(statement.sql())) {
            return JdbcHooks.super.prepare(connection, statement);
        }
        int cursor = statement.parameters().size() + 1;
        CallableStatement call = connection.prepareCall(OracleStatements.callWithCursor(statement.sql(),
                statement.parameters().size()));
        call.registerOutParameter(cursor, OracleTypes.CURSOR);
        return call;
    }

    @Override
    public ResultSet execute(PreparedStatement statement, List<Object> bindValues) throws SQLException {
        if (!(statement instanceof CallableStatement call)) {
            return JdbcHooks.super.execute(statement, bindValues);
        }
        for (int i = 0; i < bindValues.size(); i++) {
            call.setObject(i + 1, bindValues.get(i));
        }
        call.execute();
        Object out = call.getObject(bindValues.size() + 1);
        if (!(out instanceof ResultSet cursor)) {
            throw new SQLException("the procedure returned no cursor in its last (OUT SYS_REFCURSOR) parameter", "24000");
        }
        // the cursor's fetches are the ones that count; it does not inherit the call's fetch size
        cursor.setFetchSize(statement.getFetchSize());
        return cursor;
    }

    @Override
    public JdbcColumnReader columnReader(ResultSetMetaData metadata, int column) throws SQLException {
        return reader(metadata.getColumnType(column), metadata.getColumnTypeName(column));
    }

    /** The reader for one Oracle column type. */
    static JdbcColumnReader reader(int sqlType, String typeName) {
        String name = typeName.toUpperCase(Locale.ROOT);
        if (name.equals("DATE") || sqlType == Types.TIMESTAMP || sqlType == OracleTypes.TIMESTAMPLTZ) {
            // DATE holds a time of day; TIMESTAMP WITH LOCAL TIME ZONE comes in the session's zone, the source's
            return JdbcColumnReader.LOCAL_DATE_TIME;
        }
        switch (sqlType) {
            case OracleTypes.TIMESTAMPTZ:
            case Types.TIMESTAMP_WITH_TIMEZONE:
                // oracle.sql.TIMESTAMPTZ, which the dialect turns into a ZonedDateTime: offsets and regions alike
                return JdbcColumnReader.OBJECT;
            case Types.NUMERIC:
            case Types.DECIMAL:
                return JdbcColumnReader.BIG_DECIMAL;
            case Types.CLOB:
            case Types.NCLOB:
            case Types.LONGVARCHAR:
            case OracleTypes.INTERVALDS:
            case OracleTypes.INTERVALYM:
            case Types.ROWID:
                return JdbcColumnReader.STRING;
            case Types.BLOB:
            case Types.VARBINARY:
            case Types.LONGVARBINARY:
            case Types.BINARY:
                return JdbcColumnReader.BYTES;
            case OracleTypes.JSON:
                return (rs, i) -> {
                    String json = rs.getString(i);
                    return json == null ? null : new RawJson(json);
                };
            default:
                return JdbcColumnReader.standard(sqlType, typeName);
        }
    }

    @Override
    public Optional<Boolean> retryable(SQLException e) {
        if (TRANSIENT_CODES.contains(e.getErrorCode())) {
            return Optional.of(true);
        }
        return PERMANENT_CODES.contains(e.getErrorCode()) ? Optional.of(false) : Optional.empty();
    }
}

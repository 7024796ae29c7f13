package io.tributary.dialect.oracle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.sql.Types;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;

import io.tributary.core.ConnectorException;
import io.tributary.core.Secret;
import io.tributary.core.jdbc.JdbcErrors;
import io.tributary.core.mapping.RawJson;
import io.tributary.core.template.RenderedStatement;
import io.tributary.core.template.StatementTemplate;
import oracle.jdbc.OracleConnection;
import oracle.jdbc.OracleTypes;

/** What the Oracle hooks ask of the driver, recorded by a scripted connection. */
class OracleHooksTest {

    private final List<String> calls = new CopyOnWriteArrayList<>();
    private final OracleHooks hooks = new OracleHooks(ZoneId.of("Europe/Copenhagen"));

    @Test
    void eachRunSetsTheSourcesZoneThenOpensAReadOnlyTransaction() throws SQLException {
        hooks.beginReadOnly(connection());

        assertThat(calls).containsExactly("setSessionTimeZone(Europe/Copenhagen)", "execute(SET TRANSACTION READ ONLY)",
                "statement.close");
        assertThat(OracleHooks.sessionZone(ZoneOffset.UTC)).isEqualTo("+00:00");
        assertThat(OracleHooks.sessionZone(ZoneOffset.ofHours(2))).isEqualTo("+02:00");
        assertThat(OracleHooks.sessionZone(ZoneId.of("UTC"))).isEqualTo("UTC");
    }

    @Test
    void aSelectIsPreparedForwardOnlyAndReadOnly() throws SQLException {
        hooks.prepare(connection(), render("SELECT * FROM sales WHERE d >= {{ last_update_time }}"));

        assertThat(calls).containsExactly("prepareStatement(SELECT * FROM sales WHERE d >= :1, 1003, 1007)");
    }

    @Test
    void aCallRegistersTheCursorBindsTheBoundsAndStreamsTheCursorWithTheFetchSize() throws SQLException {
        RenderedStatement call = render("CALL sales_pkg.between({{ last_update_time }}, {{ upper_date_limit }})");
        LocalDateTime from = LocalDateTime.parse("2024-07-01T00:00");
        LocalDateTime to = LocalDateTime.parse("2024-08-01T00:00");

        PreparedStatement prepared = hooks.prepare(connection(), call);
        ResultSet cursor = hooks.execute(prepared, List.of(from, to));

        assertThat(cursor).isNotNull();
        assertThat(calls).containsExactly("prepareCall(BEGIN sales_pkg.between(:1, :2, :3); END;)",
                "registerOutParameter(3, " + OracleTypes.CURSOR + ")", "setObject(1, " + from + ")",
                "setObject(2, " + to + ")", "execute", "getObject(3)", "cursor.setFetchSize(250)");
    }

    @Test
    void execIsRefusedBeforeAnythingIsPrepared() {
        assertThatThrownBy(() -> hooks.prepare(connection(), render("EXEC sales_pkg.between({{ last_update_time }})")))
                .isInstanceOf(ConnectorException.Permanent.class).hasMessageContaining("CALL name(");
        assertThat(calls).isEmpty();
    }

    @Test
    void eachOracleTypeIsReadWithTheGetterThatKeepsItExact() throws SQLException {
        assertThat(read(Types.TIMESTAMP, "DATE")).isEqualTo("getObject(1, LocalDateTime)");
        assertThat(read(Types.DATE, "DATE")).as("DATE keeps its time of day").isEqualTo("getObject(1, LocalDateTime)");
        assertThat(read(Types.TIMESTAMP, "TIMESTAMP")).isEqualTo("getObject(1, LocalDateTime)");
        assertThat(read(OracleTypes.TIMESTAMPLTZ, "TIMESTAMP WITH LOCAL TIME ZONE")).isEqualTo("getObject(1, LocalDateTime)");
        assertThat(read(OracleTypes.TIMESTAMPTZ, "TIMESTAMP WITH TIME ZONE")).isEqualTo("getObject(1)");
        assertThat(read(Types.NUMERIC, "NUMBER")).isEqualTo("getBigDecimal(1)");
        assertThat(read(Types.CLOB, "CLOB")).isEqualTo("getString(1)");
        assertThat(read(Types.NCLOB, "NCLOB")).isEqualTo("getString(1)");
        assertThat(read(OracleTypes.INTERVALDS, "INTERVALDS")).isEqualTo("getString(1)");
        assertThat(read(Types.VARBINARY, "RAW")).isEqualTo("getBytes(1)");
        assertThat(read(Types.BLOB, "BLOB")).isEqualTo("getBytes(1)");
        assertThat(read(OracleTypes.BINARY_DOUBLE, "BINARY_DOUBLE")).isEqualTo("getObject(1)");
        assertThat(read(Types.VARCHAR, "VARCHAR2")).isEqualTo("getObject(1)");
        assertThat(OracleHooks.reader(OracleTypes.JSON, "JSON").read(resultSet(new CopyOnWriteArrayList<>()), 1))
                .as("JSON is nested, not a string").isEqualTo(new RawJson("getString(1)"));
    }

    @Test
    void snapshotTooOldAndDeadlocksAreWorthARetryARefusedLoginNever() {
        assertThat(JdbcErrors.classify(new SQLException("ORA-01555: snapshot too old", "72000", 1555), Secret.empty(),
                hooks::retryable)).isInstanceOf(ConnectorException.Transient.class);
        assertThat(JdbcErrors.classify(new SQLException("ORA-00060: deadlock detected", "61000", 60), Secret.empty(),
                hooks::retryable)).isInstanceOf(ConnectorException.Transient.class);
        assertThat(JdbcErrors.classify(new SQLException("ORA-00942: table or view does not exist", "42000", 942),
                Secret.empty(), hooks::retryable)).isInstanceOf(ConnectorException.Permanent.class);
        assertThat(JdbcErrors.classify(new SQLTransientConnectionException("tributary-oracle-sales - Connection is not"
                + " available, request timed out after 10000ms", "72000", new SQLException("ORA-01017: invalid credential",
                "72000", 1017)), Secret.empty(), hooks::retryable))
                .as("a wrong password under Hikari's timeout: retrying would lock the account")
                .isInstanceOf(ConnectorException.Permanent.class);
    }

    private static RenderedStatement render(String statement) {
        return StatementTemplate.parse(statement, OracleDialect.INSTANCE.syntax()).render(OracleDialect.INSTANCE.bindMarkers());
    }

    /** The getter the reader for this column type calls, as text. */
    private static String read(int sqlType, String typeName) throws SQLException {
        List<String> getters = new CopyOnWriteArrayList<>();
        OracleHooks.reader(sqlType, typeName).read(resultSet(getters), 1);
        assertThat(getters).hasSize(1);
        return getters.get(0);
    }

    /** A result set that records each getter called and answers strings with that record. */
    private static ResultSet resultSet(List<String> getters) {
        return proxy(ResultSet.class, (p, m, args) -> {
            String described = m.getName() + "(" + args[0] + (args.length > 1 ? ", " + ((Class<?>) args[1]).getSimpleName() : "") + ")";
            getters.add(described);
            return m.getReturnType() == String.class ? described : null;
        });
    }

    private Connection connection() {
        OracleConnection oracle = proxy(OracleConnection.class, (p, m, args) -> {
            calls.add(m.getName() + "(" + args[0] + ")");
            return null;
        });
        Statement statement = proxy(Statement.class, (p, m, args) -> {
            calls.add(m.getName().equals("close") ? "statement.close" : m.getName() + "(" + args[0] + ")");
            return m.getReturnType() == boolean.class ? false : null;
        });
        ResultSet cursor = proxy(ResultSet.class, (p, m, args) -> {
            calls.add("cursor." + m.getName() + "(" + args[0] + ")");
            return null;
        });
        CallableStatement call = proxy(CallableStatement.class, (p, m, args) -> {
            switch (m.getName()) {
                case "getFetchSize":
                    return 250;
                case "execute":
                    calls.add("execute");
                    return true;
                case "getObject":
                    calls.add("getObject(" + args[0] + ")");
                    return cursor;
                default:
                    calls.add(m.getName() + Arrays.toString(args).replace('[', '(').replace(']', ')'));
                    return null;
            }
        });
        return proxy(Connection.class, (p, m, args) -> {
            switch (m.getName()) {
                case "unwrap":
                    return oracle;
                case "createStatement":
                    return statement;
                case "prepareCall":
                    calls.add("prepareCall(" + args[0] + ")");
                    return call;
                case "prepareStatement":
                    calls.add("prepareStatement" + Arrays.toString(args).replace('[', '(').replace(']', ')'));
                    return proxy(PreparedStatement.class, (sp, sm, sargs) -> null);
                default:
                    throw new UnsupportedOperationException(m.getName());
            }
        });
    }

    @SuppressWarnings("unchecked")
    private static <T> T proxy(Class<T> type, InvocationHandler handler) {
        return (T) Proxy.newProxyInstance(OracleHooksTest.class.getClassLoader(), new Class<?>[] {type}, handler);
    }
}

package io.tributary.dialect.snowflake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.tributary.core.ConnectorException;
import io.tributary.core.Secret;
import io.tributary.core.jdbc.JdbcErrors;
import io.tributary.core.template.RenderedStatement;
import io.tributary.core.template.StatementTemplate;
import io.tributary.core.template.Variable;

class SnowflakeDialectTest {

    private static RenderedStatement render(String statement) {
        return StatementTemplate.parse(statement, SnowflakeDialect.INSTANCE.syntax()).render(SnowflakeDialect.INSTANCE.bindMarkers());
    }

    @Test
    void aSelectAndACallGetQuestionMarksAndStringsAreLexedAsSnowflakeWritesThem() {
        RenderedStatement select = render("SELECT id AS reference, 'it\\'s {{ not a variable' AS note, $$a ; {{ b $$ AS raw"
                + " FROM sales WHERE updated_at >= {{ last_update_time }} AND updated_at < {{ upper_date_limit }};");
        RenderedStatement call = render("CALL sales_between({{ last_update_time }}, {{ upper_date_limit }})");

        assertThat(select.sql()).isEqualTo("SELECT id AS reference, 'it\\'s {{ not a variable' AS note, $$a ; {{ b $$ AS raw"
                + " FROM sales WHERE updated_at >= ? AND updated_at < ?");
        assertThat(call.sql()).isEqualTo("CALL sales_between(?, ?)");
        assertThat(call.parameters()).containsExactly(Variable.LAST_UPDATE_TIME, Variable.UPPER_DATE_LIMIT);
        assertThat(SnowflakeDialect.INSTANCE.name()).isEqualTo("snowflake");
        assertThat(SnowflakeDialect.NOW_QUERY).isEqualTo("SELECT CONVERT_TIMEZONE('UTC', CURRENT_TIMESTAMP())::TIMESTAMP_NTZ");
    }

    @Test
    void boundsAreTimestampsOfTheExactInstantWhateverTheZone() {
        Instant bound = Instant.parse("2024-03-01T09:15:30.123456789Z");

        Object value = SnowflakeDialect.INSTANCE.bindValue(bound, ZoneId.of("Europe/Copenhagen"));

        assertThat(value).isInstanceOf(Timestamp.class);
        assertThat(((Timestamp) value).toInstant()).isEqualTo(bound);
        assertThat(((Timestamp) value).getNanos()).isEqualTo(123_456_789);
    }

    @Test
    void theSessionIsSetForExactReading() {
        assertThat(SnowflakeSession.parameters(ZoneId.of("Europe/Copenhagen"), "sales")).containsExactly(
                Map.entry("TIMEZONE", "Europe/Copenhagen"),
                Map.entry("CLIENT_TIMESTAMP_TYPE_MAPPING", "TIMESTAMP_LTZ"),
                Map.entry("TIMESTAMP_NTZ_OUTPUT_FORMAT", "YYYY-MM-DD\"T\"HH24:MI:SS.FF9"),
                Map.entry("TIMESTAMP_LTZ_OUTPUT_FORMAT", "YYYY-MM-DD\"T\"HH24:MI:SS.FF9TZH:TZM"),
                Map.entry("TIMESTAMP_TZ_OUTPUT_FORMAT", "YYYY-MM-DD\"T\"HH24:MI:SS.FF9TZH:TZM"),
                Map.entry("DATE_OUTPUT_FORMAT", "YYYY-MM-DD"),
                Map.entry("TIME_OUTPUT_FORMAT", "HH24:MI:SS.FF9"),
                Map.entry("BINARY_OUTPUT_FORMAT", "HEX"),
                Map.entry("JDBC_QUERY_RESULT_FORMAT", "JSON"),
                Map.entry("QUERY_TAG", "tributary:sales"),
                Map.entry("CLIENT_PREFETCH_THREADS", "2"),
                Map.entry("CLIENT_MEMORY_LIMIT", "512"));
    }

    @Test
    void zonesGetSnowflakeNames() {
        assertThat(SnowflakeSession.timezone(ZoneId.of("UTC"))).isEqualTo("UTC");
        assertThat(SnowflakeSession.timezone(ZoneOffset.UTC)).isEqualTo("UTC");
        assertThat(SnowflakeSession.timezone(ZoneOffset.ofHours(2))).isEqualTo("Etc/GMT-2");
        assertThat(SnowflakeSession.timezone(ZoneOffset.ofHours(-5))).isEqualTo("Etc/GMT+5");
        assertThatThrownBy(() -> SnowflakeSession.timezone(ZoneOffset.ofHoursMinutes(5, 30)))
                .hasMessageContaining("Asia/Kolkata");
    }

    @Test
    void noReadOnlyTransactionIsAttemptedAndExecIsRefusedBeforeAnythingIsPrepared() throws SQLException {
        List<String> calls = new ArrayList<>();
        Connection connection = (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Connection.class},
                (p, m, args) -> {
                    calls.add(m.getName() + (args == null ? "" : "(" + args[0] + ")"));
                    return m.getName().equals("prepareStatement") ? Proxy.newProxyInstance(getClass().getClassLoader(),
                            new Class<?>[] {PreparedStatement.class}, (sp, sm, sargs) -> null) : null;
                });

        SnowflakeHooks.INSTANCE.beginReadOnly(connection);
        SnowflakeHooks.INSTANCE.prepare(connection, render("CALL p({{ last_update_time }}, {{ upper_date_limit }})"));
        assertThatThrownBy(() -> SnowflakeHooks.INSTANCE.prepare(connection, render("EXEC p({{ last_update_time }})")))
                .isInstanceOf(ConnectorException.Permanent.class).hasMessageContaining("RETURNS TABLE");

        assertThat(calls).containsExactly("prepareStatement(CALL p(?, ?))");
    }

    @Test
    void aRefusedLoginIsPermanentThoughItsStateSaysConnectionAndALostOneIsNot() {
        SQLException wrongPassword = new SQLException("Incorrect username or password was specified.", "08001", 390100);
        SQLException badKey = new SQLException("JWT token is invalid.", "08001", 390144);
        SQLException unreachable = new SQLException("JDBC driver encountered communication error.", "08001", 250001);

        assertThat(JdbcErrors.classify(wrongPassword, Secret.empty(), SnowflakeHooks.INSTANCE::retryable))
                .isInstanceOf(ConnectorException.Permanent.class);
        assertThat(JdbcErrors.classify(new SQLTransientConnectionException("tributary-snowflake-sales - Connection is not"
                + " available, request timed out after 30000ms", "08001", badKey), Secret.empty(),
                SnowflakeHooks.INSTANCE::retryable)).isInstanceOf(ConnectorException.Permanent.class);
        assertThat(JdbcErrors.classify(unreachable, Secret.empty(), SnowflakeHooks.INSTANCE::retryable))
                .isInstanceOf(ConnectorException.Transient.class);
        assertThat(JdbcErrors.classify(new SQLException("SQL compilation error: Object 'SALES' does not exist or not"
                + " authorized.", "42S02", 2003), Secret.empty(), SnowflakeHooks.INSTANCE::retryable))
                .isInstanceOf(ConnectorException.Permanent.class);
    }
}

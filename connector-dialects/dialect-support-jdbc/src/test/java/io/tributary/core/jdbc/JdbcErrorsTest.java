package io.tributary.core.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.sql.SQLException;
import java.sql.SQLInvalidAuthorizationSpecException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLSyntaxErrorException;
import java.sql.SQLTimeoutException;
import java.sql.SQLTransactionRollbackException;
import java.sql.SQLTransientConnectionException;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

import io.tributary.core.ConnectorException;
import io.tributary.core.Secret;

class JdbcErrorsTest {

    static Stream<Arguments> failures() {
        return Stream.of(
                Arguments.of(new SQLTimeoutException("query timed out", "57014"), true),
                Arguments.of(new SQLTransactionRollbackException("deadlock detected", "40P01"), true),
                Arguments.of(new SQLTransientConnectionException("pool: connection is not available", "08001"), true),
                Arguments.of(new SQLRecoverableException("IO Error: Connection reset", "08006"), true),
                Arguments.of(new SQLNonTransientConnectionException("connection refused", "08001"), true),
                Arguments.of(new SQLException("could not connect", "08006"), true),
                Arguments.of(new SQLException("canceling statement due to user request", "57014"), true),
                Arguments.of(new SQLException("out of memory", "53200"), true),
                Arguments.of(new SQLException("could not obtain lock", "55P03"), true),
                Arguments.of(new RuntimeException(new IOException("broken pipe")), true),
                Arguments.of(new SQLNonTransientConnectionException("password authentication failed", "28P01"), false),
                Arguments.of(new SQLInvalidAuthorizationSpecException("ORA-01017: invalid credential", "72000", 1017), false),
                Arguments.of(new SQLException("database \"nope\" does not exist", "3D000"), false),
                Arguments.of(new SQLSyntaxErrorException("ORA-00942: table or view does not exist", "42000", 942), false),
                Arguments.of(new SQLException("relation \"sales\" does not exist", "42P01"), false),
                Arguments.of(new SQLException("cannot execute nextval() in a read-only transaction", "25006"), false),
                Arguments.of(new SQLException("invalid input syntax for type timestamp", "22007"), false),
                Arguments.of(new SQLException("no state at all"), false));
    }

    @ParameterizedTest(name = "{0} -> transient: {1}")
    @MethodSource("failures")
    void failuresAreSortedIntoTransientAndPermanent(Throwable failure, boolean retry) {
        Throwable classified = JdbcErrors.classify(failure, Secret.empty(), e -> Optional.empty());

        assertThat(classified).isInstanceOf(retry ? ConnectorException.Transient.class : ConnectorException.Permanent.class)
                .hasCause(failure);
    }

    @Test
    void theDialectsVerdictOnAVendorCodeComesFirst() {
        SQLException snapshotTooOld = new SQLException("ORA-01555: snapshot too old", "72000", 1555);
        SQLException badPassword = new SQLException("ORA-01017: invalid credential", "72000", 1017);
        Function<SQLException, Optional<Boolean>> oracle = e -> e.getErrorCode() == 1555 ? Optional.of(true)
                : e.getErrorCode() == 1017 ? Optional.of(false) : Optional.empty();

        assertThat(JdbcErrors.classify(snapshotTooOld, Secret.empty(), oracle)).isInstanceOf(ConnectorException.Transient.class);
        assertThat(JdbcErrors.classify(snapshotTooOld, Secret.empty(), e -> Optional.empty()))
                .isInstanceOf(ConnectorException.Permanent.class);
        assertThat(JdbcErrors.classify(badPassword, Secret.empty(), oracle)).isInstanceOf(ConnectorException.Permanent.class);
    }

    @Test
    void aRefusedLoginUnderAPoolsConnectionTimeoutIsPermanent() {
        SQLException pool = new SQLTransientConnectionException("pool - Connection is not available, request timed out",
                "28P01", new SQLException("password authentication failed for user \"reader\"", "28P01"));
        SQLException vendor = new SQLTransientConnectionException("pool - Connection is not available", "72000",
                new SQLException("ORA-01017: invalid credential", "72000", 1017));

        assertThat(JdbcErrors.classify(pool, Secret.empty(), e -> Optional.empty())).isInstanceOf(ConnectorException.Permanent.class);
        assertThat(JdbcErrors.classify(vendor, Secret.empty(), e -> e.getErrorCode() == 1017 ? Optional.of(false) : Optional.empty()))
                .isInstanceOf(ConnectorException.Permanent.class);
        assertThat(JdbcErrors.classify(vendor, Secret.empty(), e -> Optional.empty()))
                .as("without the verdict the pool's timeout decides").isInstanceOf(ConnectorException.Transient.class);
    }

    @Test
    void theMessageKeepsTheServersWordsAndCodesButNotThePassword() {
        SQLException e = new SQLException("login for user scott with s3cr3t failed", "28000", 1017,
                new IOException("socket said s3cr3t"));

        Throwable classified = JdbcErrors.classify(e, Secret.of("s3cr3t"), x -> Optional.empty());

        assertThat(classified.getMessage())
                .isEqualTo("login for user scott with ****** failed [SQL state 28000, error code 1017]: socket said ******");
    }

    @Test
    void connectorExceptionsPassThrough() {
        ConnectorException.Permanent already = new ConnectorException.Permanent("bad statement");
        assertThat(JdbcErrors.classify(already, Secret.empty(), e -> Optional.of(true))).isSameAs(already);
    }
}

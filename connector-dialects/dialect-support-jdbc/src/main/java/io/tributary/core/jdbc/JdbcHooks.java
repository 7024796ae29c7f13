package io.tributary.core.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.List;
import java.util.Optional;

import io.tributary.core.template.RenderedStatement;

/**
 * What a database adds to the {@link JdbcSourceClient}: how a run's read-only transaction begins, how its statement
 * is prepared and executed, how columns are read, and which vendor errors are worth a retry. Stateless; every method
 * runs on the bridge's blocking thread. The defaults are plain JDBC and fit pgjdbc and H2.
 */
public interface JdbcHooks {

    /** Plain JDBC throughout. */
    JdbcHooks STANDARD = new JdbcHooks() {
    };

    /**
     * Makes the run's transaction read-only; autocommit is already off. Default: {@link Connection#setReadOnly},
     * which pgjdbc sends as {@code BEGIN READ ONLY}; drivers that refuse it are left read-write.
     */
    default void beginReadOnly(Connection connection) throws SQLException {
        try {
            connection.setReadOnly(true);
        } catch (SQLFeatureNotSupportedException notSupported) {
            // the user's grants are the only guard then; the docs recommend a read-only login anyway
        }
    }

    /**
     * Prepares the statement. Default: forward-only and read-only. The bridge sets the fetch size and the query
     * timeout on the returned statement before {@link #execute}, and may {@link java.sql.Statement#cancel} it from
     * another thread.
     */
    default PreparedStatement prepare(Connection connection, RenderedStatement statement) throws SQLException {
        return connection.prepareStatement(statement.sql(), ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY);
    }

    /**
     * Binds one value per marker, in marker order, and executes. Default: {@code setObject} and
     * {@code executeQuery}.
     *
     * @return the result to stream; closed by the bridge
     */
    default ResultSet execute(PreparedStatement statement, List<Object> bindValues) throws SQLException {
        for (int i = 0; i < bindValues.size(); i++) {
            statement.setObject(i + 1, bindValues.get(i));
        }
        return statement.executeQuery();
    }

    /** How to read column {@code column} (1-based) of every row of this result. */
    default JdbcColumnReader columnReader(ResultSetMetaData metadata, int column) throws SQLException {
        return JdbcColumnReader.standard(metadata.getColumnType(column), metadata.getColumnTypeName(column));
    }

    /**
     * The database's verdict on a vendor error code, which wins over the SQL state rules of {@link JdbcErrors}:
     * {@code true} to retry (Oracle's ORA-01555 "snapshot too old"), {@code false} never to (a wrong password that a
     * pool reports as a connection timeout), empty to leave it to the rules.
     */
    default Optional<Boolean> retryable(SQLException e) {
        return Optional.empty();
    }
}

package io.tributary.core.jdbc;

import static java.util.Objects.requireNonNull;

import java.sql.SQLException;
import java.sql.SQLInvalidAuthorizationSpecException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;

import io.tributary.core.ConnectorException;
import io.tributary.core.Secret;
import io.tributary.core.mapping.MissingColumnsException;

/**
 * Sorts JDBC failures into {@link ConnectorException.Transient} (retry) and {@link ConnectorException.Permanent}
 * (fix the configuration), with the server's message, the SQL state and vendor code, and no password.
 * <ul>
 * <li>transient: {@link SQLTransientException} (timeouts, deadlocks, pool exhaustion), {@link SQLRecoverableException},
 * a lost or refused connection ({@link SQLNonTransientConnectionException}, SQL state class 08), SQL state classes
 * 40 (rollback, serialization), 53 (insufficient resources), 57 (operator intervention, a cancelled statement),
 * {@code 55P03} (lock not available), {@code HY008} (cancelled), and errors that are not {@link SQLException}s
 * (I/O)</li>
 * <li>permanent: SQL state class 28 (authentication) and 3D (no such database) anywhere in the cause chain, even
 * under a pool's connection timeout; 42 (syntax, no such table, no privilege), 22 (data), and every other server
 * error: it would repeat</li>
 * </ul>
 * A dialect's {@link JdbcHooks#retryable} verdict on a vendor code comes first.
 */
public final class JdbcErrors {

    private JdbcErrors() {
    }

    /**
     * @param e         what the driver, the pool or the bridge threw
     * @param password  redacted from the message
     * @param retryable the dialect's verdict on vendor codes, see {@link JdbcHooks#retryable}
     */
    public static Throwable classify(Throwable e, Secret password, Function<SQLException, Optional<Boolean>> retryable) {
        requireNonNull(e, "e must not be null");
        requireNonNull(password, "password must not be null");
        requireNonNull(retryable, "retryable must not be null");
        if (e instanceof ConnectorException || e instanceof MissingColumnsException) {
            return e;
        }
        String message = password.redact(describe(e));
        List<SQLException> chain = sqlExceptions(e);
        if (chain.isEmpty()) {
            return new ConnectorException.Transient(message, e);
        }
        // a pool reports a refused login as a connection timeout: what is permanent anywhere in the chain wins
        if (chain.stream().anyMatch(x -> isPermanent(x, retryable))) {
            return new ConnectorException.Permanent(message, e);
        }
        return chain.stream().anyMatch(x -> isTransient(x, retryable)) ? new ConnectorException.Transient(message, e)
                : new ConnectorException.Permanent(message, e);
    }

    private static boolean isPermanent(SQLException e, Function<SQLException, Optional<Boolean>> retryable) {
        Optional<Boolean> verdict = retryable.apply(e);
        if (verdict.isPresent()) {
            return !verdict.get();
        }
        String state = state(e);
        return state.startsWith("28") || state.startsWith("3D") || e instanceof SQLInvalidAuthorizationSpecException;
    }

    private static boolean isTransient(SQLException e, Function<SQLException, Optional<Boolean>> retryable) {
        if (retryable.apply(e).orElse(false)) {
            return true;
        }
        if (e instanceof SQLTransientException || e instanceof SQLRecoverableException
                || e instanceof SQLNonTransientConnectionException) {
            return true;
        }
        String state = state(e);
        // any other server error (syntax, privilege, a read-only violation, bad data) will repeat
        return state.startsWith("08") || state.startsWith("40") || state.startsWith("53") || state.startsWith("57")
                || state.equals("55P03") || state.equals("HY008");
    }

    private static String state(SQLException e) {
        return e.getSQLState() == null ? "" : e.getSQLState().toUpperCase(Locale.ROOT);
    }

    private static List<SQLException> sqlExceptions(Throwable e) {
        List<SQLException> chain = new ArrayList<>();
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException sql) {
                chain.add(sql);
            }
        }
        return chain;
    }

    private static @Nullable SQLException firstSqlException(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException sql) {
                return sql;
            }
        }
        return null;
    }

    private static String describe(Throwable e) {
        String message = e.getMessage() == null || e.getMessage().isBlank() ? e.getClass().getSimpleName() : e.getMessage().strip();
        SQLException sql = firstSqlException(e);
        if (sql != null) {
            String state = sql.getSQLState();
            StringBuilder codes = new StringBuilder();
            if (state != null && !message.contains(state)) {
                codes.append("SQL state ").append(state);
            }
            if (sql.getErrorCode() != 0 && !message.contains(String.valueOf(sql.getErrorCode()))) {
                codes.append(codes.length() == 0 ? "" : ", ").append("error code ").append(sql.getErrorCode());
            }
            if (codes.length() > 0) {
                message = message + " [" + codes + "]";
            }
        }
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        if (root != e && root.getMessage() != null && !message.contains(root.getMessage().strip())) {
            message = message + ": " + root.getMessage().strip();
        }
        return message;
    }
}

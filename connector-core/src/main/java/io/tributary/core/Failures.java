package io.tributary.core;

import java.util.concurrent.TimeoutException;

/** Which failures a retry can cure. */
final class Failures {

    private Failures() {
    }

    /**
     * Permanent: what the dialects classed permanent (bad password, unknown table, syntax error, a statement that
     * writes) and a result without the standard columns. Everything else (connections, timeouts, deadlocks, a store
     * that is down) is worth retrying.
     */
    static boolean isTransient(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ConnectorException.Permanent) {
                return false;
            }
            if (t instanceof ConnectorException.Transient || t instanceof TimeoutException) {
                return true;
            }
        }
        return true;
    }

    /**
     * Whether a sink's failure is about the data of the batch rather than the sink: {@link ConnectorException.BadData},
     * or an SQL error of class 22 (data exception: value too long, invalid character, out of range) or 23 (integrity
     * constraint) anywhere in the chain. Such a failure is not retried; the batch is split to find the row.
     */
    static boolean isDataError(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ConnectorException.BadData) {
                return true;
            }
            if (t instanceof java.sql.SQLException e && e.getSQLState() != null
                    && (e.getSQLState().startsWith("22") || e.getSQLState().startsWith("23"))) {
                return true;
            }
        }
        return false;
    }

    /**
     * A data error as the rejected row's reason: a {@link ConnectorException.BadData}'s own message, or the innermost
     * SQL error's words.
     */
    static String dataErrorMessage(Throwable failure) {
        String sql = null;
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ConnectorException.BadData bad) {
                return String.valueOf(bad.getMessage());
            }
            if (t instanceof java.sql.SQLException) {
                sql = String.valueOf(t.getMessage());
            }
        }
        return "the store refused the row: " + (sql != null ? sql : String.valueOf(failure.getMessage()));
    }
}

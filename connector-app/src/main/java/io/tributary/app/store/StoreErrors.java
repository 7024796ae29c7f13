package io.tributary.app.store;

import java.sql.SQLException;

import io.tributary.core.ConnectorException;

/**
 * Sorts the store's failures by their SQLState, so that the pipeline retries what a retry can cure and nothing else:
 * <ul>
 * <li>class 22 (data exception) and 23 (integrity constraint): the store cannot take a row of the batch. Permanent
 * for that batch, with the store's own reason (the pipeline finds the row and rejects it);</li>
 * <li>42501 (insufficient privilege): the store user lacks a grant. Permanent, naming the user, so the source is
 * paused rather than retried every few seconds;</li>
 * <li>everything else (08 connection, 57P01.. the server shutting down, 53 out of resources, 40001/40P01
 * serialization and deadlock, 55P03 lock not available, a timeout): transient.</li>
 * </ul>
 */
final class StoreErrors {

    static final String INSUFFICIENT_PRIVILEGE = "42501";

    private StoreErrors() {
    }

    static ConnectorException classify(SQLException e, String storeUser) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        String reason = reason(e);
        if (state.startsWith("22") || state.startsWith("23")) {
            return new ConnectorException.BadData("the store refused a row (SQLState " + state + "): " + reason, e);
        }
        if (state.equals(INSUFFICIENT_PRIVILEGE)) {
            return new ConnectorException.Permanent("the store user '" + storeUser + "' lacks a privilege on the store's "
                    + "tables (" + reason + "); grant it SELECT, INSERT, UPDATE and DELETE on the tables of the store's "
                    + "schema, then ask for a run (POST /api/sources/{id}/run)", e);
        }
        return new ConnectorException.Transient("the store failed" + (state.isEmpty() ? "" : " (SQLState " + state + ")")
                + ": " + reason, e);
    }

    /**
     * A failure of the store's bookkeeping (checkpoint, import log) as the pipeline should see it: transient, one line
     * with the innermost reason ("Connection to 127.0.0.1:5432 refused"), instead of Spring's "Failed to obtain JDBC
     * Connection". Anything else passes unchanged.
     */
    static Throwable bookkeeping(Throwable e) {
        if (!(e instanceof org.springframework.dao.DataAccessException)
                && !(e instanceof org.springframework.transaction.TransactionException)) {
            return e;
        }
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String reason = root instanceof SQLException sql ? reason(sql)
                : (root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage().lines().findFirst().orElse(""));
        return new ConnectorException.Transient("the store cannot be used: " + reason, e);
    }

    /**
     * The store's message without what follows it on other lines or after "; SQL statement:" (H2 appends the whole
     * statement, PostgreSQL a "Where:" context): one line an operator can read.
     */
    static String reason(SQLException e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        int cut = message.indexOf("; SQL statement:");
        if (cut >= 0) {
            message = message.substring(0, cut);
        }
        String[] lines = message.strip().split("\\R");
        StringBuilder one = new StringBuilder(lines[0].strip());
        for (int i = 1; i < lines.length; i++) {
            // PostgreSQL's detail names the offending key or value: worth keeping on the same line
            String line = lines[i].strip();
            if (line.startsWith("Detail:")) {
                one.append("; ").append(line);
            }
        }
        return one.toString();
    }
}

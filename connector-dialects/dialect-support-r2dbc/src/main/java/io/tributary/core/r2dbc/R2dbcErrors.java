package io.tributary.core.r2dbc;

import java.net.ConnectException;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.TimeoutException;

import io.r2dbc.spi.R2dbcBadGrammarException;
import io.r2dbc.spi.R2dbcException;
import io.r2dbc.spi.R2dbcNonTransientException;
import io.r2dbc.spi.R2dbcPermissionDeniedException;
import io.r2dbc.spi.R2dbcTransientException;
import io.tributary.core.ConnectorException;
import io.tributary.core.Secret;

/**
 * Sorts driver failures into {@link ConnectorException.Transient} (retry) and {@link ConnectorException.Permanent}
 * (fix the configuration), with the server's message, the SQL state when there is one, and no password.
 */
public final class R2dbcErrors {

    private R2dbcErrors() {
    }

    public static Throwable classify(Throwable e, Secret password) {
        if (e instanceof ConnectorException || e instanceof io.tributary.core.mapping.MissingColumnsException) {
            return e;
        }
        String message = password.redact(describe(e));
        if (e instanceof R2dbcBadGrammarException || e instanceof R2dbcPermissionDeniedException) {
            return new ConnectorException.Permanent(message, e);
        }
        if (e instanceof R2dbcTransientException || isConnectionProblem(e)) {
            return new ConnectorException.Transient(message, e);
        }
        if (e instanceof R2dbcNonTransientException r && isAuthentication(r)) {
            return new ConnectorException.Permanent(message, e);
        }
        if (e instanceof R2dbcException) {
            // a server error without a clear class (a read-only violation, a constraint): it will repeat
            return new ConnectorException.Permanent(message, e);
        }
        return new ConnectorException.Transient(message, e);
    }

    private static boolean isAuthentication(R2dbcException e) {
        String state = e.getSqlState();
        return state != null && (state.startsWith("28") || state.equals("3D000"));
    }

    private static boolean isConnectionProblem(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConnectException || t instanceof ClosedChannelException || t instanceof TimeoutException
                    || t instanceof java.io.IOException) {
                return true;
            }
            if (t instanceof io.r2dbc.spi.R2dbcNonTransientResourceException) {
                return true;
            }
        }
        return false;
    }

    private static String describe(Throwable e) {
        String message = e.getMessage() == null || e.getMessage().isBlank() ? e.getClass().getSimpleName() : e.getMessage();
        if (e instanceof R2dbcException r && r.getSqlState() != null && !message.contains(r.getSqlState())) {
            message = message + " [SQL state " + r.getSqlState() + "]";
        }
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        if (root != e && root.getMessage() != null && !message.contains(root.getMessage())) {
            message = message + ": " + root.getMessage();
        }
        return message;
    }
}

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
}

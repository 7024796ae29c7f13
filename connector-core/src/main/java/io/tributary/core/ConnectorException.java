package io.tributary.core;

/**
 * An import failed. {@link Transient} failures (connection refused, timeout, deadlock) are worth retrying;
 * {@link Permanent} ones (bad password, unknown table, syntax error) need a change of configuration.
 * Messages never contain secrets.
 */
public class ConnectorException extends RuntimeException {

    public ConnectorException(String message) {
        super(message);
    }

    public ConnectorException(String message, Throwable cause) {
        super(message, cause);
    }

    /** A failure that may go away by itself: retry it. */
    public static class Transient extends ConnectorException {
        public Transient(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** A failure that will repeat until the configuration changes. */
    public static class Permanent extends ConnectorException {
        public Permanent(String message) {
            super(message);
        }

        public Permanent(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * A row's values cannot be stored (a value too long, a character the store cannot hold, a constraint): permanent
     * for that row only. The pipeline splits a batch that fails with it until it finds the row, rejects that row with
     * the store's message, and writes the others.
     */
    public static class BadData extends Permanent {
        public BadData(String message, Throwable cause) {
            super(message, cause);
        }
    }
}

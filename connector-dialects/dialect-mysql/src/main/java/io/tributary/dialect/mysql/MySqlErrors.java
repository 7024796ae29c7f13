package io.tributary.dialect.mysql;

import java.util.Set;

import io.r2dbc.spi.R2dbcException;
import io.tributary.core.ConnectorException;

/**
 * Refines the generic classification for MySQL: r2dbc-mysql reports most server errors it has no class for (a
 * write in a read-only transaction, an unknown time zone) as a resource exception without SQL state, which the
 * generic rules take for a lost connection. A server error is permanent unless its code says otherwise.
 */
final class MySqlErrors {

    /** Server error codes worth retrying: killed, shutting down, too busy, deadlock or lock wait, interrupted. */
    private static final Set<Integer> TRANSIENT_CODES = Set.of(
            1040, // too many connections
            1053, // server shutdown in progress
            1077, 1078, 1079, 1080, // normal shutdown, got signal, shutdown complete, forcing close
            1152, 1153, 1154, 1155, 1156, 1157, 1158, 1159, 1160, 1161, // aborted connection, network read/write errors
            1203, // user has exceeded max_user_connections
            1205, // lock wait timeout
            1213, // deadlock
            1317, // query execution was interrupted
            1290, // --read-only / maintenance on the server side, e.g. while a replica is promoted
            1927, // MariaDB: connection was killed
            1969, 3024, 1907, // statement timeouts
            2006, 2013); // server has gone away, lost connection

    /** MySQL and MariaDB: unknown or incorrect time zone. */
    static final int UNKNOWN_TIME_ZONE = 1298;

    private MySqlErrors() {
    }

    static Throwable refine(Throwable e) {
        if (!(e instanceof ConnectorException c) || !(e.getCause() instanceof R2dbcException server)
                || server.getErrorCode() <= 0) {
            return e;
        }
        int code = server.getErrorCode();
        String message = c.getMessage() + " [MySQL error " + code + "]";
        if (code == UNKNOWN_TIME_ZONE) {
            // Tributary gives the session the source zone's offset, never a name: a name comes from the URL or the SQL
            return new ConnectorException.Permanent(message + "; Tributary sets the session's zone to the source "
                    + "zone's UTC offset, which needs no time zone tables, but the server takes offsets in a range "
                    + "only (MariaDB 10.11: -12:59 to +13:00). A zone name (time_zone in the URL's "
                    + "sessionVariables, or in the statement) needs the server's time zone tables: remove it, or load "
                    + "them (mysql_tzinfo_to_sql /usr/share/zoneinfo | mysql mysql)", server);
        }
        if (TRANSIENT_CODES.contains(code)) {
            return new ConnectorException.Transient(message, server);
        }
        return new ConnectorException.Permanent(message, server);
    }
}

package io.tributary.dialect.sqlserver;

import java.util.Locale;

/**
 * Azure SQL Database's login rule: on a host {@code <server>.database.windows.net} the login is
 * {@code user@<server>}. A username that already holds an {@code @} is left as written.
 */
final class SqlServerAzure {

    static final String AZURE_SUFFIX = ".database.windows.net";

    private SqlServerAzure() {
    }

    static boolean isAzure(String host) {
        return host.toLowerCase(Locale.ROOT).endsWith(AZURE_SUFFIX);
    }

    /** {@code username@server} for an Azure host and a username without {@code @}; otherwise {@code username}. */
    static String loginName(String host, String username) {
        if (!isAzure(host) || username.isEmpty() || username.contains("@")) {
            return username;
        }
        String server = host.substring(0, host.indexOf('.'));
        return username + "@" + server;
    }
}

package io.tributary.dialect.mysql;

import java.util.Locale;
import java.util.Optional;

/** The URL forms a user may give for MySQL and MariaDB, all turned into r2dbc-mysql's R2DBC form. */
final class MySqlUrls {

    private static final String[] PREFIXES = {"r2dbc:mysql://", "r2dbc:mariadb://", "jdbc:mysql://", "jdbc:mariadb://",
            "mysql://", "mariadb://"};

    private MySqlUrls() {
    }

    static boolean supports(String url) {
        return toR2dbc(url).isPresent();
    }

    /** {@code mariadb://host:3306/db?sslMode=required} and friends as {@code r2dbc:mysql://...}. */
    static Optional<String> toR2dbc(String url) {
        String stripped = url.strip();
        String lower = stripped.toLowerCase(Locale.ROOT);
        for (String prefix : PREFIXES) {
            if (lower.startsWith(prefix)) {
                // r2dbc-mysql speaks to MySQL and MariaDB alike under the driver name "mysql"
                return Optional.of("r2dbc:mysql://" + stripped.substring(prefix.length()));
            }
        }
        return Optional.empty();
    }
}

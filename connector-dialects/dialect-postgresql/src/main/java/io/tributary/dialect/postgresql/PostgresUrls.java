package io.tributary.dialect.postgresql;

import java.util.Locale;
import java.util.Optional;

/** The URL forms a user may give for PostgreSQL, all turned into the R2DBC form. */
final class PostgresUrls {

    private static final String[] PREFIXES = {"r2dbc:postgresql://", "r2dbc:postgres://", "jdbc:postgresql://",
            "postgresql://", "postgres://"};

    private PostgresUrls() {
    }

    static boolean supports(String url) {
        return toR2dbc(url).isPresent();
    }

    /** {@code postgresql://host:5432/db?sslMode=require} and friends as {@code r2dbc:postgresql://...}. */
    static Optional<String> toR2dbc(String url) {
        String lower = url.strip().toLowerCase(Locale.ROOT);
        for (String prefix : PREFIXES) {
            if (lower.startsWith(prefix)) {
                return Optional.of("r2dbc:postgresql://" + url.strip().substring(prefix.length()));
            }
        }
        return Optional.empty();
    }
}

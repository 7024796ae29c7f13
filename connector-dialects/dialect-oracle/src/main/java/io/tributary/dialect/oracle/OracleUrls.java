package io.tributary.dialect.oracle;

import java.util.Locale;

/**
 * The URL forms a user may give for Oracle, turned into the thin driver's: {@code oracle://host:1521/service}
 * (EZConnect, query parameters kept) and {@code jdbc:oracle:thin:@...} as it is (EZConnect, {@code host:port:SID},
 * a TNS descriptor or alias, {@code tcps://}). Credentials in the URL are refused, and messages never repeat the URL.
 */
final class OracleUrls {

    static final String SHORT_PREFIX = "oracle://";
    static final String THIN_PREFIX = "jdbc:oracle:thin:";
    static final int DEFAULT_PORT = 1521;

    private OracleUrls() {
    }

    static boolean supports(String url) {
        String lower = url.strip().toLowerCase(Locale.ROOT);
        return lower.startsWith(SHORT_PREFIX) || lower.startsWith(THIN_PREFIX);
    }

    /**
     * @throws IllegalArgumentException naming what is wrong, never quoting the URL
     */
    static String toJdbc(String url) {
        String u = url.strip();
        String lower = u.toLowerCase(Locale.ROOT);
        if (lower.startsWith(THIN_PREFIX)) {
            String rest = u.substring(THIN_PREFIX.length());
            if (!rest.startsWith("@")) {
                throw new IllegalArgumentException("the URL holds credentials (jdbc:oracle:thin:user/password@...); "
                        + "write jdbc:oracle:thin:@... and set the source's USERNAME and PASSWORD instead");
            }
            if (rest.length() == 1) {
                throw new IllegalArgumentException("the URL names no database after '@'");
            }
            return u;
        }
        if (!lower.startsWith(SHORT_PREFIX)) {
            throw new IllegalArgumentException("not an Oracle URL; expected oracle://host:1521/service or jdbc:oracle:thin:@...");
        }
        String rest = u.substring(SHORT_PREFIX.length());
        int slash = rest.indexOf('/');
        String authority = slash < 0 ? rest : rest.substring(0, slash);
        if (authority.contains("@")) {
            throw new IllegalArgumentException("the URL holds credentials; write oracle://host:1521/service and set "
                    + "the source's USERNAME and PASSWORD instead");
        }
        String service = slash < 0 ? "" : rest.substring(slash + 1);
        if (authority.isBlank() || service.isBlank() || service.startsWith("?")) {
            throw new IllegalArgumentException("expected oracle://host:1521/service_name; the host or the service name is missing");
        }
        String hostPort = authority.contains(":") ? authority : authority + ":" + DEFAULT_PORT;
        return THIN_PREFIX + "@//" + hostPort + "/" + service;
    }
}

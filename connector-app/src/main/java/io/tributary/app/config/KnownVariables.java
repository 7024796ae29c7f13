package io.tributary.app.config;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Every {@code TRIBUTARY_*} variable Tributary reads, in one table: a name it does not know stops start-up naming it
 * and the closest known name, so that a typo such as {@code TRIBUTARY_API_TOKN} cannot silently leave the API
 * without authentication. A feature that adds a variable adds its row here (a name, or a family ending in {@code _}).
 * {@code TRIBUTARY_SOURCES_<ID>_*} is checked by {@link SourceSettings} against its own list; {@code TRIBUTARY_TEST_*}
 * is left to the test suites.
 */
public final class KnownVariables {

    /** Exact names, and families (ending in {@code _}) whose members their feature checks itself. */
    static final List<String> TABLE = List.of(
            "TRIBUTARY_API_TOKEN",
            "TRIBUTARY_API_TOKEN_FILE",
            "TRIBUTARY_BIND_ADDRESS",
            "TRIBUTARY_PORT",
            "TRIBUTARY_CORS_ORIGINS",
            "TRIBUTARY_ALLOWED_HOSTS",
            "TRIBUTARY_DATA_DIR",
            "TRIBUTARY_DEMO",
            "TRIBUTARY_MAX_CONCURRENT_RUNS",
            "TRIBUTARY_IMPORT_LOG_RETENTION",
            "TRIBUTARY_STORE_URL",
            "TRIBUTARY_STORE_USERNAME",
            "TRIBUTARY_STORE_PASSWORD",
            "TRIBUTARY_STORE_SCHEMA",
            // the Plecto sink's settings (issue of the Plecto sink): checked by that sink
            "TRIBUTARY_PLECTO_",
            "TRIBUTARY_SOURCES_",
            "TRIBUTARY_TEST_");

    private KnownVariables() {
    }

    /** @throws ConfigurationException naming the first unknown variable and the closest known name */
    public static void check(Map<String, String> env) {
        for (String name : env.keySet()) {
            if (!name.startsWith("TRIBUTARY_") || known(name)) {
                continue;
            }
            throw new ConfigurationException(name + " is not a variable Tributary knows" + suggestion(name)
                    + "; docs/configuration.md lists them all");
        }
    }

    private static boolean known(String name) {
        return TABLE.stream().anyMatch(k -> k.endsWith("_") ? name.startsWith(k) : name.equals(k));
    }

    private static String suggestion(String name) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String k : TABLE) {
            if (k.endsWith("_")) {
                continue;
            }
            int d = distance(name.toUpperCase(Locale.ROOT), k);
            if (d < bestDistance) {
                bestDistance = d;
                best = k;
            }
        }
        // a suggestion far from what was written would mislead more than help
        return best != null && bestDistance <= Math.max(2, name.length() / 4) ? "; did you mean " + best + "?" : "";
    }

    /** Levenshtein distance. */
    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] t = previous;
            previous = current;
            current = t;
        }
        return previous[b.length()];
    }
}

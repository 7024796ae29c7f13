package io.tributary.app.config;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.tributary.core.SourceDefinition;

/**
 * Everything read from {@code TRIBUTARY_*} variables at start-up.
 *
 * @param demo              whether the embedded demo source runs: {@code TRIBUTARY_DEMO}, by default only when no
 *                          source is configured
 * @param maxConcurrentRuns {@code TRIBUTARY_MAX_CONCURRENT_RUNS}: runs executing at once across all sources
 * @param plecto            {@code TRIBUTARY_PLECTO_*}: the sources that push to Plecto instead of the store
 * @param importLogRetention {@code TRIBUTARY_IMPORT_LOG_RETENTION}: how long finished runs stay in the import log
 *                          (default 30 days); {@link Duration#ZERO} keeps them forever
 */
public record AppSettings(StoreSettings store, List<SourceDefinition> sources, boolean demo, int maxConcurrentRuns,
        PlectoSettings plecto, Duration importLogRetention) {

    public static final Duration DEFAULT_IMPORT_LOG_RETENTION = Duration.ofDays(30);

    public static AppSettings read(Map<String, String> env) {
        KnownVariables.check(env);
        List<SourceDefinition> sources = SourceSettings.read(env);
        String demoValue = env.getOrDefault("TRIBUTARY_DEMO", "").strip().toLowerCase(Locale.ROOT);
        boolean demo = switch (demoValue) {
            case "" -> sources.isEmpty();
            case "true" -> true;
            case "false" -> false;
            default -> throw new ConfigurationException("TRIBUTARY_DEMO='" + env.get("TRIBUTARY_DEMO")
                    + "' must be true or false");
        };
        String limit = env.getOrDefault("TRIBUTARY_MAX_CONCURRENT_RUNS", "8").strip();
        int maxConcurrentRuns;
        try {
            maxConcurrentRuns = Integer.parseInt(limit);
        } catch (NumberFormatException e) {
            maxConcurrentRuns = 0;
        }
        if (maxConcurrentRuns < 1 || maxConcurrentRuns > 1_000) {
            throw new ConfigurationException("TRIBUTARY_MAX_CONCURRENT_RUNS='" + limit + "' must be a whole number from 1 to 1000");
        }
        // a PLECTO_DATA_SOURCE of an id with no URL was refused by SourceSettings already, naming the URL
        return new AppSettings(StoreSettings.read(env), sources, demo, maxConcurrentRuns, PlectoSettings.read(env),
                importLogRetention(env));
    }

    private static Duration importLogRetention(Map<String, String> env) {
        String value = env.getOrDefault("TRIBUTARY_IMPORT_LOG_RETENTION", "").strip();
        if (value.isEmpty()) {
            return DEFAULT_IMPORT_LOG_RETENTION;
        }
        if (value.equals("0")) {
            return Duration.ZERO;
        }
        Duration retention = Durations.parse("TRIBUTARY_IMPORT_LOG_RETENTION", value);
        if (retention.compareTo(Duration.ofHours(1)) < 0) {
            throw new ConfigurationException("TRIBUTARY_IMPORT_LOG_RETENTION='" + value
                    + "' must be at least 1h (or 0 to keep the import log forever)");
        }
        return retention;
    }
}

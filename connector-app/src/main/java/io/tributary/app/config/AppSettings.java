package io.tributary.app.config;

import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.tributary.core.SourceDefinition;

/**
 * Everything read from {@code TRIBUTARY_*} variables at start-up.
 *
 * @param demo whether the embedded demo source runs: {@code TRIBUTARY_DEMO}, by default only when no source is
 *             configured
 */
public record AppSettings(StoreSettings store, List<SourceDefinition> sources, boolean demo) {

    public static AppSettings read(Map<String, String> env) {
        List<SourceDefinition> sources = SourceSettings.read(env);
        String demoValue = env.getOrDefault("TRIBUTARY_DEMO", "").strip().toLowerCase(Locale.ROOT);
        boolean demo = switch (demoValue) {
            case "" -> sources.isEmpty();
            case "true" -> true;
            case "false" -> false;
            default -> throw new ConfigurationException("TRIBUTARY_DEMO='" + env.get("TRIBUTARY_DEMO")
                    + "' must be true or false");
        };
        return new AppSettings(StoreSettings.read(env), sources, demo);
    }
}

package io.tributary.app.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiConsumer;

import io.tributary.core.Secret;
import io.tributary.core.SettingValues;
import io.tributary.core.SourceDefinition;

/**
 * Reads sources from environment variables {@code TRIBUTARY_SOURCES_<ID>_<SETTING>}. The id may contain
 * underscores: the setting is matched as the longest known suffix. Any mistake (unknown setting, missing URL,
 * unreadable file, malformed duration) is reported naming the variable; nothing is guessed.
 */
public final class SourceSettings {

    static final String PREFIX = "TRIBUTARY_SOURCES_";

    /**
     * Known settings, longest first so that {@code _PASSWORD_FILE} wins over {@code _FILE}-less forms and
     * {@code _PRIVATE_KEY_PASSWORD} over {@code _PASSWORD}.
     */
    static final List<String> SETTINGS = List.of("PRIVATE_KEY_PASSWORD_FILE", "PRIVATE_KEY_PASSWORD",
            "MAX_ROWS_PER_MINUTE", "PLECTO_DATA_SOURCE", "PRIVATE_KEY_FILE", "CREDENTIALS_FILE", "MEMBER_ID_SOURCE", "UPDATE_FREQUENCY",
            "STATEMENT_FILE", "PASSWORD_FILE", "QUERY_TIMEOUT", "CREDENTIALS", "FETCH_SIZE", "BATCH_SIZE", "STATEMENT",
            "USERNAME", "PASSWORD", "TIMEZONE", "LOOKBACK", "DIALECT", "SETTLE", "START", "URL");

    private SourceSettings() {
    }

    /** Every source defined in {@code env}, sorted by id. */
    public static List<SourceDefinition> read(Map<String, String> env) {
        Map<String, Map<String, String>> bySource = new TreeMap<>();
        for (Map.Entry<String, String> e : env.entrySet()) {
            String name = e.getKey();
            if (!name.startsWith(PREFIX)) {
                continue;
            }
            String rest = name.substring(PREFIX.length());
            String setting = SETTINGS.stream().filter(s -> rest.endsWith("_" + s) && rest.length() > s.length() + 1)
                    .findFirst().orElseThrow(() -> new ConfigurationException(name + " is not a known setting; a source "
                            + "is configured with TRIBUTARY_SOURCES_<ID>_ followed by one of " + String.join(", ", SETTINGS)));
            String id = rest.substring(0, rest.length() - setting.length() - 1);
            bySource.computeIfAbsent(id, k -> new TreeMap<>()).put(setting, e.getValue());
        }
        Map<String, String> byLowerCase = new TreeMap<>();
        for (String id : bySource.keySet()) {
            String other = byLowerCase.put(id.toLowerCase(Locale.ROOT), id);
            if (other != null) {
                throw new ConfigurationException(PREFIX + other + "_* and " + PREFIX + id + "_* name the same source '"
                        + id.toLowerCase(Locale.ROOT) + "' (ids are not case-sensitive); write the id the same way in "
                        + "every variable of one source, or give the two sources different ids");
            }
        }
        List<SourceDefinition> sources = new ArrayList<>();
        bySource.forEach((id, settings) -> sources.add(source(id, settings)));
        return sources;
    }

    private static SourceDefinition source(String envId, Map<String, String> s) {
        // where the registrations go is not the core's business: PlectoSettings reads it
        s.remove("PLECTO_DATA_SOURCE");
        String id = envId.toLowerCase(Locale.ROOT);
        String var = PREFIX + envId + "_";
        if (!SourceDefinition.isValidId(id)) {
            throw new ConfigurationException(var + "*: the source id '" + envId + "' must be letters, digits and '_'");
        }
        String url = required(s, var, "URL");
        String username = s.getOrDefault("USERNAME", "");
        // the JDBC habit ?user=...: the user goes where USERNAME would put it, so that the driver gets it one way
        UrlCredentials.UserInUrl userInUrl = UrlCredentials.takeUser(url);
        if (userInUrl.user() != null) {
            if (!username.isEmpty() && !username.equals(userInUrl.user())) {
                throw new ConfigurationException(var + "URL names the user '" + userInUrl.user() + "' and " + var
                        + "USERNAME another; keep one");
            }
            username = userInUrl.user();
            url = userInUrl.url();
        }
        Secret password = Secret.of(exclusive(s, var, "PASSWORD", "PASSWORD_FILE", false));
        // a password written into the URL is moved out of it, so that the URL can be shown and logged
        UrlCredentials fromUrl = UrlCredentials.split(url);
        if (fromUrl.password() != null) {
            if (!password.isEmpty()) {
                throw new ConfigurationException(var + "URL holds a password and " + var
                        + "PASSWORD(_FILE) is set too; keep one");
            }
            password = Secret.of(fromUrl.password());
            url = fromUrl.url();
        }
        String statement = exclusive(s, var, "STATEMENT", "STATEMENT_FILE", true);
        SourceDefinition.Builder b = SourceDefinition.builder(id, url, statement).credentials(username, password);
        // what some dialects need besides a password: Snowflake's key pair, BigQuery's service account key
        Map<String, Secret> secrets = new TreeMap<>();
        String keyPassword = exclusive(s, var, "PRIVATE_KEY_PASSWORD", "PRIVATE_KEY_PASSWORD_FILE", false);
        if (!keyPassword.isEmpty()) {
            secrets.put("private_key_password", Secret.of(keyPassword));
        }
        String credentials = exclusive(s, var, "CREDENTIALS", "CREDENTIALS_FILE", false);
        if (!credentials.isBlank()) {
            secrets.put("credentials", Secret.of(credentials));
        }
        b.secrets(secrets);
        if (s.containsKey("PRIVATE_KEY_FILE")) {
            // the driver reads the file itself (and decrypts it); say now if it cannot
            Path key = Path.of(s.get("PRIVATE_KEY_FILE").strip());
            if (!Files.isRegularFile(key) || !Files.isReadable(key)) {
                throw new ConfigurationException(var + "PRIVATE_KEY_FILE: cannot read " + key);
            }
            b.options(Map.of("private_key_file", key.toString()));
        }
        // TIMEZONE before START: a date without a time is read in the source's zone
        ZoneId zone = s.containsKey("TIMEZONE") ? zone(var + "TIMEZONE", s.get("TIMEZONE")) : ZoneId.of("UTC");
        for (Optional<?> setting : OPTIONAL) {
            if (s.containsKey(setting.name())) {
                setting.apply(b, var + setting.name(), s.get(setting.name()), zone);
            }
        }
        return b.build();
    }

    /**
     * An optional setting of a source: its name after {@code TRIBUTARY_SOURCES_<ID>_}, how its value is read (the
     * variable's full name for the message), and where it goes. Every one is documented in docs/configuration.md,
     * which a test checks.
     */
    record Optional<T>(String name, Parser<T> parser, BiConsumer<SourceDefinition.Builder, T> setter) {
        void apply(SourceDefinition.Builder b, String variable, String value, ZoneId zone) {
            setter.accept(b, parser.parse(variable, value, zone));
        }
    }

    /** Reads one value; throws a {@link ConfigurationException} naming {@code variable}. */
    @FunctionalInterface
    interface Parser<T> {
        T parse(String variable, String value, ZoneId zone);
    }

    /** The optional settings with one value each, in the order they are applied. */
    static final List<Optional<?>> OPTIONAL = List.of(
            new Optional<>("UPDATE_FREQUENCY", (v, x, z) -> atLeast(v, x, Duration.ofSeconds(1)),
                    SourceDefinition.Builder::updateFrequency),
            new Optional<>("MEMBER_ID_SOURCE", SourceSettings::memberIdSource, SourceDefinition.Builder::memberIdSource),
            new Optional<>("TIMEZONE", (v, x, z) -> zone(v, x), SourceDefinition.Builder::timezone),
            new Optional<>("START", (v, x, z) -> instant(v, x, z), SourceDefinition.Builder::start),
            new Optional<>("DIALECT", (v, x, z) -> x.strip().toLowerCase(Locale.ROOT), SourceDefinition.Builder::dialect),
            new Optional<>("FETCH_SIZE", (v, x, z) -> positive(v, x, 1_000_000), SourceDefinition.Builder::fetchSize),
            new Optional<>("BATCH_SIZE", (v, x, z) -> positive(v, x, 100_000), SourceDefinition.Builder::batchSize),
            new Optional<>("LOOKBACK", (v, x, z) -> Durations.parse(v, x), SourceDefinition.Builder::lookback),
            new Optional<>("SETTLE", (v, x, z) -> Durations.parse(v, x), SourceDefinition.Builder::settle),
            new Optional<>("MAX_ROWS_PER_MINUTE", (v, x, z) -> x.strip().equals("0") ? 0L : (long) positive(v, x, 100_000_000),
                    SourceDefinition.Builder::maxRowsPerMinute),
            new Optional<>("QUERY_TIMEOUT", SourceSettings::positiveDuration, SourceDefinition.Builder::queryTimeout));

    private static Duration atLeast(String variable, String value, Duration min) {
        Duration d = Durations.parse(variable, value);
        if (d.compareTo(min) < 0) {
            throw new ConfigurationException(variable + "='" + value + "' is shorter than the minimum of " + min.toSeconds() + "s");
        }
        return d;
    }

    private static Duration positiveDuration(String variable, String value, ZoneId zone) {
        Duration d = Durations.parse(variable, value);
        if (d.isZero()) {
            throw new ConfigurationException(variable + " must be longer than 0");
        }
        return d;
    }

    private static String memberIdSource(String variable, String value, ZoneId zone) {
        String m = value.strip();
        if (m.isEmpty() || m.length() > 200) {
            throw new ConfigurationException(variable + " must be 1 to 200 characters");
        }
        return m;
    }

    private static ZoneId zone(String variable, String value) {
        try {
            return ZoneId.of(value.strip());
        } catch (DateTimeException e) {
            throw new ConfigurationException(variable + "='" + value
                    + "' is not a time zone; write e.g. UTC, Europe/Copenhagen or +02:00");
        }
    }

    /** An ISO instant ({@code 2024-01-01T00:00:00Z}), or a date read as its start of day in the source's zone. */
    static Instant instant(String variable, String value, ZoneId zone) {
        return SettingValues.instant(value, zone).orElseThrow(() -> new ConfigurationException(variable + "='" + value
                + "' is not a date or timestamp; write e.g. 2024-01-01 or 2024-01-01T00:00:00Z"));
    }

    private static String required(Map<String, String> s, String var, String setting) {
        String v = s.get(setting);
        if (v == null || v.isBlank()) {
            throw new ConfigurationException(var + setting + " is missing" + (s.containsKey(setting) ? " (empty)" : "")
                    + "; every source needs " + var + "URL and " + var + "STATEMENT (or _STATEMENT_FILE)");
        }
        return v.strip();
    }

    /** The value of {@code direct}, or the content of the file named by {@code file}; not both. */
    private static String exclusive(Map<String, String> s, String var, String direct, String file, boolean required) {
        if (s.containsKey(direct) && s.containsKey(file)) {
            throw new ConfigurationException(var + direct + " and " + var + file + " are both set; keep one");
        }
        if (s.containsKey(file)) {
            Path path = Path.of(s.get(file).strip());
            try {
                String content = Files.readString(path, StandardCharsets.UTF_8);
                // files written by editors and secret mounts end with a newline that is not part of the value
                content = direct.endsWith("PASSWORD") ? content.stripTrailing() : content;
                if (content.isBlank()) {
                    throw new ConfigurationException(var + file + ": the file " + path + " is empty");
                }
                return content;
            } catch (IOException e) {
                throw new ConfigurationException(var + file + ": cannot read " + path + " ("
                        + e.getClass().getSimpleName() + ")");
            }
        }
        if (required) {
            return required(s, var, direct);
        }
        return s.getOrDefault(direct, "");
    }

    private static int positive(String variable, String value, int max) {
        try {
            int n = Integer.parseInt(value.strip());
            if (n >= 1 && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // fall through to the message below
        }
        throw new ConfigurationException(variable + "='" + value + "' must be a whole number from 1 to " + max);
    }
}

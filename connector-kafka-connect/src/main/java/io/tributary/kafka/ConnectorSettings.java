package io.tributary.kafka;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigValue;
import org.apache.kafka.common.config.types.Password;
import org.jspecify.annotations.Nullable;

import io.tributary.core.ConnectorException;
import io.tributary.core.Secret;
import io.tributary.core.SettingValues;
import io.tributary.core.SourceDefinition;
import io.tributary.core.spi.DialectProvider;
import io.tributary.core.spi.Dialects;
import io.tributary.core.template.StatementTemplate;
import io.tributary.core.template.Variable;

/**
 * The connector's properties read into source definitions, with every mistake kept as a message on the property
 * it belongs to (what {@code validate()} shows per field). The rules are those of the app's environment settings
 * (values are parsed by core's SettingValues). Longer than most classes: one declaration per property.
 */
final class ConnectorSettings {

    static final String SOURCES = "sources";
    static final String TOPIC = "topic";
    static final String DEFAULT_TOPIC = "tributary.registrations";
    /** Placeholder in a topic name, replaced by the source id. */
    static final String SOURCE_PLACEHOLDER = "${source}";
    /** Task property: the ids of the sources one task runs. */
    static final String TASK_SOURCES = "task.sources";

    /** {@code user:password@host} or {@code password=} in a URL. */
    private static final Pattern PASSWORD_IN_URL = Pattern.compile("//[^/@:]*:[^/@]+@|[?&;]password=", Pattern.CASE_INSENSITIVE);

    /** A source of this connector and the topic its registrations go to. */
    record Source(SourceDefinition definition, String topic) {
    }

    private final List<String> ids;
    private final List<Source> sources = new ArrayList<>();
    private final Map<String, List<String>> errors = new LinkedHashMap<>();
    private final Map<String, String> props;

    private ConnectorSettings(Map<String, String> props, Dialects dialects) {
        this.props = props;
        this.ids = sourceIds(props.get(SOURCES));
        if (ids.isEmpty()) {
            error(SOURCES, "list at least one source id, e.g. sources=sales,calls, and configure each with sources.<id>.url "
                    + "and sources.<id>.statement");
        }
        for (String key : props.keySet()) {
            if (key.startsWith("sources.")) {
                checkKnown(key);
            }
        }
        String topic = props.getOrDefault(TOPIC, DEFAULT_TOPIC).strip();
        if (topic.isEmpty()) {
            error(TOPIC, "the topic must not be empty");
        }
        for (String id : ids) {
            Source source = source(id, topic, dialects);
            if (source != null) {
                sources.add(source);
            }
        }
    }

    static ConnectorSettings read(Map<String, String> props) {
        return read(props, Dialects.discover());
    }

    static ConnectorSettings read(Map<String, String> props, Dialects dialects) {
        return new ConnectorSettings(Map.copyOf(props), dialects);
    }

    /** The properties every configuration has; the per-source ones depend on {@code sources}, see {@link #definition}. */
    static ConfigDef baseDefinition() {
        return new ConfigDef()
                .define(SOURCES, ConfigDef.Type.LIST, ConfigDef.NO_DEFAULT_VALUE, ConfigDef.Importance.HIGH,
                        "The ids of the sources (letters, digits, '-' and '_'); each is configured by sources.<id>.* properties.")
                .define(TOPIC, ConfigDef.Type.STRING, DEFAULT_TOPIC, ConfigDef.Importance.HIGH,
                        "The topic of the registrations; ${source} is replaced by the source id (one topic per source).");
    }

    /** The base properties plus those of every source named in {@code props}. */
    static ConfigDef definition(Map<String, String> props) {
        ConfigDef def = baseDefinition();
        for (String id : sourceIds(props.get(SOURCES))) {
            for (SourceSetting s : SourceSetting.values()) {
                Object dflt = s.required() ? ConfigDef.NO_DEFAULT_VALUE : s.defaultValue();
                def.define(s.key(id), s.type(), dflt, s.importance(), s.doc(), "source " + id, s.ordinal(),
                        ConfigDef.Width.LONG, s.key(id));
            }
        }
        return def;
    }

    /**
     * One value per property of {@link #definition}, with its error messages; a password's value is a
     * {@link Password}, which prints as {@code [hidden]}.
     */
    List<ConfigValue> configValues() {
        List<ConfigValue> values = new ArrayList<>();
        values.add(value(SOURCES, ids));
        values.add(value(TOPIC, props.getOrDefault(TOPIC, DEFAULT_TOPIC)));
        for (String id : ids) {
            for (SourceSetting s : SourceSetting.values()) {
                String raw = props.get(s.key(id));
                Object shown = s == SourceSetting.PASSWORD ? new Password(raw == null ? "" : raw) : raw;
                values.add(value(s.key(id), shown));
            }
        }
        // errors on properties that are not defined (a typo'd setting) get their own entry
        Set<String> listed = new LinkedHashSet<>();
        values.forEach(v -> listed.add(v.name()));
        errors.forEach((key, messages) -> {
            if (!listed.contains(key)) {
                values.add(value(key, props.get(key)));
            }
        });
        return values;
    }

    private ConfigValue value(String key, @Nullable Object value) {
        return new ConfigValue(key, value, List.of(), new ArrayList<>(errors.getOrDefault(key, List.of())));
    }

    boolean valid() {
        return errors.isEmpty();
    }

    Map<String, List<String>> errors() {
        return errors;
    }

    /** Every mistake in one line each, for an exception's message; no values, so no secret. */
    String describeErrors() {
        StringBuilder b = new StringBuilder();
        errors.forEach((key, messages) -> messages.forEach(m -> b.append(b.length() == 0 ? "" : "; ").append(key)
                .append(": ").append(m)));
        return b.toString();
    }

    List<Source> sources() {
        return List.copyOf(sources);
    }

    List<String> ids() {
        return ids;
    }

    private static List<String> sourceIds(@Nullable String value) {
        List<String> ids = new ArrayList<>();
        if (value != null) {
            for (String part : value.split(",")) {
                String id = part.strip();
                if (!id.isEmpty()) {
                    ids.add(id);
                }
            }
        }
        return ids;
    }

    private void checkKnown(String key) {
        String rest = key.substring("sources.".length());
        int dot = rest.indexOf('.');
        if (dot < 0) {
            error(key, "unknown property: write sources.<id>.<setting>");
            return;
        }
        String id = rest.substring(0, dot);
        if (!ids.contains(id)) {
            error(key, "source '" + id + "' is not listed in the sources property (" + String.join(",", ids) + ")");
        } else if (SourceSetting.bySuffix(rest.substring(dot + 1)) == null) {
            error(key, "unknown setting '" + rest.substring(dot + 1) + "'; known: " + knownSettings());
        }
    }

    private static String knownSettings() {
        List<String> names = new ArrayList<>();
        for (SourceSetting s : SourceSetting.values()) {
            names.add(s.suffix());
        }
        return String.join(", ", names);
    }

    private @Nullable Source source(String id, String topicTemplate, Dialects dialects) {
        int before = errorCount();
        if (!SourceDefinition.isValidId(id) || !id.equals(id.toLowerCase(Locale.ROOT))) {
            error(SOURCES, "the source id '" + id + "' must be lower-case letters, digits, '-' and '_'");
            return null;
        }
        if (ids.indexOf(id) != ids.lastIndexOf(id)) {
            error(SOURCES, "the source id '" + id + "' is listed twice");
            return null;
        }
        String url = required(id, SourceSetting.URL);
        String statement = required(id, SourceSetting.STATEMENT);
        if (url != null && PASSWORD_IN_URL.matcher(url).find()) {
            error(SourceSetting.URL.key(id), "the URL holds a password: move it to " + SourceSetting.PASSWORD.key(id)
                    + " (a password property is never shown)");
        }
        SourceDefinition.Builder b = SourceDefinition.builder(id, url == null ? "" : url, statement == null ? "" : statement)
                .credentials(get(id, SourceSetting.USERNAME).strip(), Secret.of(get(id, SourceSetting.PASSWORD)));
        Duration frequency = duration(id, SourceSetting.UPDATE_FREQUENCY);
        if (frequency != null && frequency.compareTo(Duration.ofSeconds(1)) < 0) {
            error(SourceSetting.UPDATE_FREQUENCY.key(id), "'" + get(id, SourceSetting.UPDATE_FREQUENCY)
                    + "' is shorter than the minimum of 1s");
        } else if (frequency != null) {
            b.updateFrequency(frequency);
        }
        String memberIdSource = props.get(SourceSetting.MEMBER_ID_SOURCE.key(id));
        if (memberIdSource != null) {
            String m = memberIdSource.strip();
            if (m.isEmpty() || m.length() > 200) {
                error(SourceSetting.MEMBER_ID_SOURCE.key(id), "must be 1 to 200 characters");
            } else {
                b.memberIdSource(m);
            }
        }
        ZoneId zone = ZoneId.of("UTC");
        try {
            zone = ZoneId.of(get(id, SourceSetting.TIMEZONE).strip());
            b.timezone(zone);
        } catch (DateTimeException e) {
            error(SourceSetting.TIMEZONE.key(id), "'" + get(id, SourceSetting.TIMEZONE)
                    + "' is not a time zone; write e.g. UTC, Europe/Copenhagen or +02:00");
        }
        Instant start = instant(id, SourceSetting.START, zone);
        if (start != null) {
            b.start(start);
        }
        String dialect = props.get(SourceSetting.DIALECT.key(id));
        if (dialect != null && !dialect.isBlank()) {
            b.dialect(dialect.strip().toLowerCase(Locale.ROOT));
        }
        Long fetch = number(id, SourceSetting.FETCH_SIZE, 1, 1_000_000);
        if (fetch != null) {
            b.fetchSize(fetch.intValue());
        }
        Long batch = number(id, SourceSetting.BATCH_SIZE, 1, 100_000);
        if (batch != null) {
            b.batchSize(batch.intValue());
        }
        Duration lookback = duration(id, SourceSetting.LOOKBACK);
        if (lookback != null) {
            b.lookback(lookback);
        }
        Duration settle = duration(id, SourceSetting.SETTLE);
        if (settle != null) {
            b.settle(settle);
        }
        Long cap = number(id, SourceSetting.MAX_ROWS_PER_MINUTE, 0, 100_000_000);
        if (cap != null) {
            b.maxRowsPerMinute(cap);
        }
        Duration timeout = duration(id, SourceSetting.QUERY_TIMEOUT);
        if (timeout != null && timeout.isZero()) {
            error(SourceSetting.QUERY_TIMEOUT.key(id), "must be longer than 0");
        } else if (timeout != null) {
            b.queryTimeout(timeout);
        }
        String topic = props.get(SourceSetting.TOPIC.key(id));
        topic = (topic == null || topic.isBlank() ? topicTemplate : topic.strip()).replace(SOURCE_PLACEHOLDER, id);
        if (!topic.matches("[a-zA-Z0-9._-]{1,249}")) {
            error(props.containsKey(SourceSetting.TOPIC.key(id)) ? SourceSetting.TOPIC.key(id) : TOPIC,
                    "'" + topic + "' is not a valid topic name (letters, digits, '.', '_', '-'; at most 249)");
        }
        if (url == null || statement == null || errorCount() > before) {
            return null;
        }
        SourceDefinition definition;
        try {
            definition = b.build();
        } catch (IllegalArgumentException e) {
            error(SourceSetting.URL.key(id), e.getMessage());
            return null;
        }
        return checkDialectAndStatement(definition, dialects) ? new Source(definition, topic) : null;
    }

    /** What {@code Tributary.add} will check, said on the property at fault: the dialect, the URL, the statement. */
    private boolean checkDialectAndStatement(SourceDefinition definition, Dialects dialects) {
        String id = definition.id();
        DialectProvider provider;
        try {
            provider = dialects.select(definition);
        } catch (ConnectorException e) {
            error(definition.dialect() != null ? SourceSetting.DIALECT.key(id) : SourceSetting.URL.key(id), e.getMessage());
            return false;
        }
        try {
            // creating a client does not connect; it parses the URL and options the way a run will
            provider.connect(definition).close().onErrorResume(e -> reactor.core.publisher.Mono.empty()).block();
        } catch (RuntimeException e) {
            error(SourceSetting.URL.key(id), "the URL and login settings cannot be used: "
                    + definition.password().redact(String.valueOf(e.getMessage())));
            return false;
        }
        StatementTemplate template;
        try {
            template = StatementTemplate.parse(definition.statement(), provider.dialect().syntax());
        } catch (IllegalArgumentException e) {
            error(SourceSetting.STATEMENT.key(id), e.getMessage());
            return false;
        }
        List<String> missing = new ArrayList<>();
        for (Variable v : List.of(Variable.LAST_UPDATE_TIME, Variable.UPPER_DATE_LIMIT)) {
            if (!template.variables().contains(v)) {
                missing.add("{{ " + v.name().toLowerCase(Locale.ROOT) + " }}");
            }
        }
        if (!missing.isEmpty()) {
            error(SourceSetting.STATEMENT.key(id), "the statement does not use " + String.join(" and ", missing)
                    + ": both bound the window of each run (e.g. WHERE created_at >= {{ last_update_time }} AND "
                    + "created_at < {{ upper_date_limit }}); without them every run re-reads rows already sent");
            return false;
        }
        return true;
    }

    private String get(String id, SourceSetting s) {
        String v = props.get(s.key(id));
        if (v == null || v.isBlank()) {
            return s.defaultValue() == null ? "" : s.defaultValue();
        }
        return v;
    }

    private @Nullable String required(String id, SourceSetting s) {
        String v = props.get(s.key(id));
        if (v == null || v.isBlank()) {
            error(s.key(id), "is missing: every source needs " + SourceSetting.URL.key(id) + " and "
                    + SourceSetting.STATEMENT.key(id));
            return null;
        }
        return v.strip();
    }

    private @Nullable Duration duration(String id, SourceSetting s) {
        String value = get(id, s);
        Optional<Duration> d = SettingValues.duration(value);
        if (d.isEmpty()) {
            error(s.key(id), "'" + value + "' is not a duration; write e.g. 30s, 1m, 15m, 1h or PT5M");
        }
        return d.orElse(null);
    }

    private @Nullable Long number(String id, SourceSetting s, long min, long max) {
        String value = get(id, s).strip();
        try {
            long n = Long.parseLong(value);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // the message below says what to write
        }
        error(s.key(id), "'" + value + "' is not a whole number from " + min + " to " + max);
        return null;
    }

    private @Nullable Instant instant(String id, SourceSetting s, ZoneId zone) {
        String v = get(id, s).strip();
        Optional<Instant> at = SettingValues.instant(v, zone);
        if (at.isEmpty()) {
            error(s.key(id), "'" + v + "' is not a date or timestamp; write e.g. 2024-01-01 or 2024-01-01T00:00:00Z");
        }
        return at.orElse(null);
    }

    private void error(String key, String message) {
        errors.computeIfAbsent(key, k -> new ArrayList<>()).add(message);
    }

    private int errorCount() {
        return errors.values().stream().mapToInt(List::size).sum();
    }
}

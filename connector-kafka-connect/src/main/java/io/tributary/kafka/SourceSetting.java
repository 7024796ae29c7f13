package io.tributary.kafka;

import java.util.Locale;

import org.apache.kafka.common.config.ConfigDef;
import org.jspecify.annotations.Nullable;

/**
 * One setting of a source, {@code sources.<id>.<name>}: the connector property that mirrors the app's
 * {@code TRIBUTARY_SOURCES_<ID>_<NAME>} environment variable, with the same default.
 */
enum SourceSetting {
    URL("url", ConfigDef.Type.STRING, null, ConfigDef.Importance.HIGH,
            "The database, e.g. postgresql://host:5432/db (driver options as query parameters). Put the password in "
                    + "the password property, not in the URL."),
    USERNAME("username", ConfigDef.Type.STRING, "", ConfigDef.Importance.HIGH, "Login name; use a read-only user."),
    PASSWORD("password", ConfigDef.Type.PASSWORD, "", ConfigDef.Importance.HIGH,
            "Login password; never logged or shown. Prefer a config provider: ${file:/path/secrets.properties:key}."),
    STATEMENT("statement", ConfigDef.Type.STRING, null, ConfigDef.Importance.HIGH,
            "The SELECT (or WITH, EXEC, CALL) with {{ last_update_time }} and {{ upper_date_limit }}."),
    UPDATE_FREQUENCY("update.frequency", ConfigDef.Type.STRING, "1m", ConfigDef.Importance.MEDIUM,
            "How often the source is polled: 30s, 1m, 15m, 1h, 1d or PT5M; at least 1s."),
    MEMBER_ID_SOURCE("member.id.source", ConfigDef.Type.STRING, null, ConfigDef.Importance.MEDIUM,
            "The Member ID Source: who issued the member ids. Default: the source id."),
    TIMEZONE("timezone", ConfigDef.Type.STRING, "UTC", ConfigDef.Importance.MEDIUM,
            "The zone zone-less timestamps of this source are read in (Europe/Copenhagen, +02:00)."),
    START("start", ConfigDef.Type.STRING, "1970-01-01", ConfigDef.Importance.MEDIUM,
            "Lower bound of the first run, when the source has no offset yet: 2024-01-01 or 2024-01-01T00:00:00Z."),
    DIALECT("dialect", ConfigDef.Type.STRING, null, ConfigDef.Importance.LOW,
            "Force a dialect (postgresql, mysql, sqlserver, oracle) when the URL does not tell."),
    FETCH_SIZE("fetch.size", ConfigDef.Type.STRING, "1000", ConfigDef.Importance.LOW,
            "Rows fetched per round trip from the source (1 to 1,000,000)."),
    BATCH_SIZE("batch.size", ConfigDef.Type.STRING, "1000", ConfigDef.Importance.LOW,
            "Registrations handed to Connect per batch (1 to 100,000)."),
    LOOKBACK("lookback", ConfigDef.Type.STRING, "1m", ConfigDef.Importance.MEDIUM,
            "Each run starts this much before the checkpoint, for rows committed late; 0s turns it off."),
    SETTLE("settle", ConfigDef.Type.STRING, "0s", ConfigDef.Importance.LOW,
            "Each run stops this much behind the database's clock."),
    MAX_ROWS_PER_MINUTE("max.rows.per.minute", ConfigDef.Type.STRING, "10000", ConfigDef.Importance.MEDIUM,
            "Row cap per minute of effective interval; needs ORDER BY the date column; 0 turns it off."),
    QUERY_TIMEOUT("query.timeout", ConfigDef.Type.STRING, "5m", ConfigDef.Importance.LOW,
            "The longest wait for the source's next row; a run that waits longer fails and is retried."),
    TOPIC("topic", ConfigDef.Type.STRING, null, ConfigDef.Importance.MEDIUM,
            "This source's topic; default: the connector's topic property, with ${source} replaced by the id.");

    private final String suffix;
    private final ConfigDef.Type type;
    private final @Nullable String defaultValue;
    private final ConfigDef.Importance importance;
    private final String doc;

    SourceSetting(String suffix, ConfigDef.Type type, @Nullable String defaultValue, ConfigDef.Importance importance,
            String doc) {
        this.suffix = suffix;
        this.type = type;
        this.defaultValue = defaultValue;
        this.importance = importance;
        this.doc = doc;
    }

    /** The connector property of this setting for source {@code id}: {@code sources.<id>.<suffix>}. */
    String key(String id) {
        return "sources." + id + "." + suffix;
    }

    String suffix() {
        return suffix;
    }

    ConfigDef.Type type() {
        return type;
    }

    @Nullable String defaultValue() {
        return defaultValue;
    }

    ConfigDef.Importance importance() {
        return importance;
    }

    String doc() {
        return doc;
    }

    boolean required() {
        return this == URL || this == STATEMENT;
    }

    static @Nullable SourceSetting bySuffix(String suffix) {
        String s = suffix.toLowerCase(Locale.ROOT);
        for (SourceSetting setting : values()) {
            if (setting.suffix.equals(s)) {
                return setting;
            }
        }
        return null;
    }
}

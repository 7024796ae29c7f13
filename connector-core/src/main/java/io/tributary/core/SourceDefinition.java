package io.tributary.core;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Map;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

/**
 * Everything Tributary knows about one source: where it is, how to log in, what to run and how often.
 *
 * @param id              short name, unique per instance (letters, digits, {@code -} and {@code _})
 * @param url             the database URL in the form its dialect accepts
 * @param username        login name, may be empty when the URL carries it
 * @param password        login password, never printed
 * @param statement       the user's SELECT / WITH / EXEC / CALL with the template variables
 * @param updateFrequency the configured poll interval
 * @param memberIdSource  the Member ID Source: who issued the member ids of this source
 * @param timezone        the zone zone-less timestamps of this source are read in
 * @param start           the lower bound of the first run, when there is no checkpoint yet
 * @param dialect         an explicit dialect name, or {@code null} to pick by URL
 * @param fetchSize       rows fetched per round trip from the source
 * @param batchSize       registrations per sink write
 * @param options         dialect-specific settings (lower-case keys)
 * @param secrets         dialect-specific secrets (lower-case keys), such as a private key's passphrase; never printed
 * @param lookback        how far before the checkpoint each run starts reading again, for rows committed late
 * @param settle          how far behind the source's clock each run stops, for rows not yet committed
 * @param maxRowsPerMinute the row cap per run, per minute of effective interval; 0 for no cap
 * @param queryTimeout    the longest wait for the source's next row (the first one included)
 */
public record SourceDefinition(
        String id,
        String url,
        String username,
        Secret password,
        String statement,
        Duration updateFrequency,
        String memberIdSource,
        ZoneId timezone,
        Instant start,
        @Nullable String dialect,
        int fetchSize,
        int batchSize,
        Map<String, String> options,
        Map<String, Secret> secrets,
        Duration lookback,
        Duration settle,
        long maxRowsPerMinute,
        Duration queryTimeout) {

    public static final Duration DEFAULT_UPDATE_FREQUENCY = Duration.ofMinutes(1);
    public static final Instant DEFAULT_START = Instant.EPOCH;
    public static final int DEFAULT_FETCH_SIZE = 1_000;
    public static final int DEFAULT_BATCH_SIZE = 1_000;
    public static final Duration DEFAULT_LOOKBACK = Duration.ofMinutes(1);
    public static final long DEFAULT_MAX_ROWS_PER_MINUTE = 10_000;
    public static final Duration DEFAULT_QUERY_TIMEOUT = Duration.ofMinutes(5);

    private static final java.util.regex.Pattern ID = java.util.regex.Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]*");

    /** The one rule for a source's id, wherever it is written: letters, digits, '-' and '_', not starting with '-' or '_'. */
    public static boolean isValidId(String id) {
        return ID.matcher(id).matches();
    }

    public SourceDefinition {
        requireNonNull(id, "id must not be null");
        requireNonNull(url, "url must not be null");
        requireNonNull(username, "username must not be null");
        requireNonNull(password, "password must not be null");
        requireNonNull(statement, "statement must not be null");
        requireNonNull(updateFrequency, "updateFrequency must not be null");
        requireNonNull(memberIdSource, "memberIdSource must not be null");
        requireNonNull(timezone, "timezone must not be null");
        requireNonNull(start, "start must not be null");
        requireNonNull(options, "options must not be null");
        if (!isValidId(id)) {
            throw new IllegalArgumentException("source id must be letters, digits, '-' or '_' but it was '" + id + "'");
        }
        if (updateFrequency.isNegative() || updateFrequency.isZero()) {
            throw new IllegalArgumentException("updateFrequency > 0 required but it was " + updateFrequency);
        }
        if (fetchSize < 1) {
            throw new IllegalArgumentException("fetchSize >= 1 required but it was " + fetchSize);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize >= 1 required but it was " + batchSize);
        }
        options = Map.copyOf(options);
        secrets = Map.copyOf(requireNonNull(secrets, "secrets must not be null"));
        requireNonNull(lookback, "lookback must not be null");
        requireNonNull(settle, "settle must not be null");
        requireNonNull(queryTimeout, "queryTimeout must not be null");
        if (lookback.isNegative() || settle.isNegative()) {
            throw new IllegalArgumentException("lookback and settle >= 0 required but they were " + lookback + " and " + settle);
        }
        if (maxRowsPerMinute < 0) {
            throw new IllegalArgumentException("maxRowsPerMinute >= 0 required but it was " + maxRowsPerMinute);
        }
        if (queryTimeout.isNegative() || queryTimeout.isZero()) {
            throw new IllegalArgumentException("queryTimeout > 0 required but it was " + queryTimeout);
        }
    }

    /** The row cap of a run at {@code effectiveInterval}: {@link Long#MAX_VALUE} when there is none. */
    public long maxRows(Duration effectiveInterval) {
        if (maxRowsPerMinute == 0) {
            return Long.MAX_VALUE;
        }
        long perInterval = (long) Math.ceil(maxRowsPerMinute * (effectiveInterval.toMillis() / 60_000.0));
        return Math.max(1, perInterval);
    }

    /** A builder with the defaults for everything but the essentials; the app, tests and embedders start here. */
    public static Builder builder(String id, String url, String statement) {
        return new Builder(id, url, statement);
    }

    /** A builder holding this definition's values, to change a few of them. */
    public Builder toBuilder() {
        Builder b = new Builder(id, url, statement);
        b.username = username;
        b.password = password;
        b.updateFrequency = updateFrequency;
        b.memberIdSource = memberIdSource;
        b.timezone = timezone;
        b.start = start;
        b.dialect = dialect;
        b.fetchSize = fetchSize;
        b.batchSize = batchSize;
        b.options = options;
        b.secrets = secrets;
        b.lookback = lookback;
        b.settle = settle;
        b.maxRowsPerMinute = maxRowsPerMinute;
        b.queryTimeout = queryTimeout;
        return b;
    }

    public Optional<String> explicitDialect() {
        return Optional.ofNullable(dialect);
    }

    /** Mutable builder; {@link #build()} validates. */
    public static final class Builder {
        private final String id;
        private final String url;
        private final String statement;
        private String username = "";
        private Secret password = Secret.empty();
        private Duration updateFrequency = DEFAULT_UPDATE_FREQUENCY;
        private @Nullable String memberIdSource;
        private ZoneId timezone = ZoneId.of("UTC");
        private Instant start = DEFAULT_START;
        private @Nullable String dialect;
        private int fetchSize = DEFAULT_FETCH_SIZE;
        private int batchSize = DEFAULT_BATCH_SIZE;
        private Map<String, String> options = Map.of();
        private Map<String, Secret> secrets = Map.of();
        private Duration lookback = DEFAULT_LOOKBACK;
        private Duration settle = Duration.ZERO;
        private long maxRowsPerMinute = DEFAULT_MAX_ROWS_PER_MINUTE;
        private Duration queryTimeout = DEFAULT_QUERY_TIMEOUT;

        private Builder(String id, String url, String statement) {
            this.id = id;
            this.url = url;
            this.statement = statement;
        }

        public Builder credentials(String user, Secret secret) {
            this.username = requireNonNull(user, "username must not be null");
            this.password = requireNonNull(secret, "password must not be null");
            return this;
        }

        public Builder updateFrequency(Duration frequency) {
            this.updateFrequency = frequency;
            return this;
        }

        public Builder memberIdSource(String name) {
            this.memberIdSource = name;
            return this;
        }

        public Builder timezone(ZoneId zone) {
            this.timezone = zone;
            return this;
        }

        public Builder start(Instant instant) {
            this.start = instant;
            return this;
        }

        public Builder dialect(@Nullable String name) {
            this.dialect = name;
            return this;
        }

        public Builder fetchSize(int size) {
            this.fetchSize = size;
            return this;
        }

        public Builder batchSize(int size) {
            this.batchSize = size;
            return this;
        }

        public Builder options(Map<String, String> values) {
            this.options = values;
            return this;
        }

        /** Secrets a dialect needs besides the password, e.g. {@code private_key_password}; lower-case keys. */
        public Builder secrets(Map<String, Secret> values) {
            this.secrets = values;
            return this;
        }

        /** Re-read this much before the checkpoint (default 1 minute), for rows committed late with an older date. */
        public Builder lookback(Duration value) {
            this.lookback = value;
            return this;
        }

        /** Stop this much behind the source's clock (default 0), for rows whose date is set before commit. */
        public Builder settle(Duration value) {
            this.settle = value;
            return this;
        }

        /** Rows per run per minute of effective interval (default 10,000); 0 for no cap. */
        public Builder maxRowsPerMinute(long value) {
            this.maxRowsPerMinute = value;
            return this;
        }

        /** The longest wait for the source's next row (default 5 minutes). */
        public Builder queryTimeout(Duration value) {
            this.queryTimeout = value;
            return this;
        }

        public SourceDefinition build() {
            return new SourceDefinition(id, url, username, password, statement, updateFrequency,
                    memberIdSource == null ? id : memberIdSource, timezone, start, dialect, fetchSize, batchSize, options,
                    secrets, lookback, settle, maxRowsPerMinute, queryTimeout);
        }
    }
}

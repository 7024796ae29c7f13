package io.tributary.dialect.bigquery;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.function.Supplier;


import org.jspecify.annotations.Nullable;

import com.google.api.gax.retrying.RetrySettings;
import com.google.auth.Credentials;
import com.google.auth.oauth2.GoogleCredentials;
import com.google.cloud.NoCredentials;
import com.google.cloud.bigquery.BigQuery;
import com.google.cloud.bigquery.BigQueryOptions;

import io.tributary.core.ConnectorException;
import io.tributary.core.Secret;
import io.tributary.core.SourceDefinition;
import io.tributary.core.spi.Dialect;
import io.tributary.core.spi.DialectProvider;
import io.tributary.core.spi.SourceClient;
import reactor.core.scheduler.Schedulers;

/**
 * BigQuery sources on google-cloud-bigquery. URL {@code bigquery://project[/dataset][?location=EU&maximumBytesBilled=N]};
 * credentials from the source's {@code credentials} secret (a service account key's JSON), else Google's
 * application default credentials ({@code GOOGLE_APPLICATION_CREDENTIALS}, the metadata server). Creating the client
 * connects to nothing.
 */
public final class BigQueryDialectProvider implements DialectProvider {

    /** The secret holding a service account key (or any credentials JSON Google's auth library reads). */
    public static final String CREDENTIALS = "credentials";

    /**
     * The client's own retries of one call, kept short: a failed run is retried by Tributary with backoff anyway.
     */
    static final RetrySettings RETRY = RetrySettings.newBuilder()
            .setMaxAttempts(3)
            .setInitialRetryDelayDuration(java.time.Duration.ofSeconds(1))
            .setRetryDelayMultiplier(2.0)
            .setMaxRetryDelayDuration(java.time.Duration.ofSeconds(8))
            .setTotalTimeoutDuration(java.time.Duration.ofSeconds(60))
            .setInitialRpcTimeoutDuration(java.time.Duration.ofSeconds(60))
            .setRpcTimeoutMultiplier(1.0)
            .setMaxRpcTimeoutDuration(java.time.Duration.ofSeconds(60))
            .build();

    @Override
    public String name() {
        return "bigquery";
    }

    @Override
    public boolean supports(String url) {
        return BigQuerySettings.supports(url);
    }

    @Override
    public Dialect dialect() {
        return BigQueryDialect.INSTANCE;
    }

    @Override
    public SourceClient connect(SourceDefinition source) {
        BigQuerySettings settings;
        try {
            settings = BigQuerySettings.parse(source.url());
        } catch (IllegalArgumentException e) {
            throw new ConnectorException.Permanent("source " + source.id() + ": " + e.getMessage(), e);
        }
        Set<String> unknown = new java.util.TreeSet<>(source.secrets().keySet());
        unknown.remove(CREDENTIALS);
        if (!unknown.isEmpty()) {
            throw new ConnectorException.Permanent("source " + source.id() + ": BigQuery does not use " + unknown
                    + "; it takes a service account key as the credentials secret");
        }
        if (!source.username().isEmpty() || !source.password().isEmpty()) {
            throw new ConnectorException.Permanent("source " + source.id() + ": BigQuery takes no username or password; "
                    + "give a service account key with the source's CREDENTIALS or CREDENTIALS_FILE setting");
        }
        Supplier<BigQuery> bigquery;
        if (settings.noCredentials() || source.secrets().containsKey(CREDENTIALS)) {
            // a key is parsed now, so that a broken one stops start-up; neither needs I/O
            BigQuery service = options(source, settings, credentials(source, settings)).getService();
            bigquery = () -> service;
        } else {
            // application default credentials may ask the metadata server: not before the first run
            bigquery = new Lazy<>(() -> options(source, settings, credentials(source, settings)).getService());
        }
        return new BigQuerySourceClient(bigquery, settings, source.id(), source.queryTimeout(), Schedulers.boundedElastic());
    }

    static BigQueryOptions options(SourceDefinition source, BigQuerySettings settings, Credentials credentials) {
        BigQueryOptions.Builder b = BigQueryOptions.newBuilder()
                .setProjectId(settings.project())
                .setCredentials(credentials)
                .setRetrySettings(RETRY);
        if (settings.location() != null) {
            b.setLocation(settings.location());
        }
        if (settings.host() != null) {
            b.setHost(settings.host());
        }
        return b.build();
    }

    static Credentials credentials(SourceDefinition source, BigQuerySettings settings) {
        Secret json = source.secrets().getOrDefault(CREDENTIALS, Secret.empty());
        if (settings.noCredentials()) {
            if (!json.isEmpty()) {
                throw new ConnectorException.Permanent("source " + source.id() + ": the URL says credentials=none "
                        + "but a credentials secret is set; keep one");
            }
            return NoCredentials.getInstance();
        }
        try {
            if (json.isEmpty()) {
                return GoogleCredentials.getApplicationDefault();
            }
            return GoogleCredentials.fromStream(new ByteArrayInputStream(json.reveal().getBytes(StandardCharsets.UTF_8)));
        } catch (IOException | RuntimeException e) {
            // neither the message nor the cause: a parser's message may quote the key
            throw new ConnectorException.Permanent("source " + source.id() + ": " + (json.isEmpty()
                    ? "no credentials: set the source's CREDENTIALS or CREDENTIALS_FILE to a service account key, or "
                            + "GOOGLE_APPLICATION_CREDENTIALS"
                    : "the credentials are not a service account key's JSON (" + e.getClass().getSimpleName() + ")"));
        }
    }

    /** Builds once, on the first call; a failure is thrown again on the next call, which tries again. */
    private static final class Lazy<T> implements Supplier<T> {
        private final Supplier<T> build;
        private volatile @Nullable T value;

        Lazy(Supplier<T> build) {
            this.build = build;
        }

        @Override
        public synchronized T get() {
            T v = value;
            if (v == null) {
                v = build.get();
                value = v;
            }
            return v;
        }
    }
}

package io.tributary.core.r2dbc;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactories;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.ConnectionFactoryOptions;
import io.r2dbc.spi.Option;
import reactor.core.publisher.Mono;

/**
 * One connection pool per distinct set of connection settings, shared by every source that uses those settings
 * (same URL, user, password, time zone...). Pools start empty and close idle connections after a short time, so
 * a source that polls once a minute holds no connection between runs. A pool closes when its last source does.
 * Pooling uses r2dbc-pool when it is on the class path (dialect modules bring it) and falls back to a connection
 * per run otherwise.
 */
public final class SharedConnectionFactories {

    private static final Logger log = LoggerFactory.getLogger(SharedConnectionFactories.class);

    /** The process-wide registry. */
    public static final SharedConnectionFactories INSTANCE = new SharedConnectionFactories();

    /** Connections idle longer than this are closed. */
    public static final Duration MAX_IDLE = Duration.ofSeconds(30);

    /** Connections per pool at most; runs of one source are serialised, so this bounds sources sharing a pool. */
    public static final int MAX_SIZE = 10;

    // r2dbc-pool's options by name, so that core needs no compile dependency on it
    private static final Option<Integer> INITIAL_SIZE = Option.valueOf("initialSize");
    private static final Option<Integer> MAX_SIZE_OPTION = Option.valueOf("maxSize");
    private static final Option<Integer> MIN_IDLE = Option.valueOf("minIdle");
    private static final Option<Duration> MAX_IDLE_TIME = Option.valueOf("maxIdleTime");
    private static final Option<Duration> BACKGROUND_EVICTION_INTERVAL = Option.valueOf("backgroundEvictionInterval");
    private static final Option<Function<? super Connection, ? extends Publisher<Void>>> PRE_RELEASE = Option.valueOf("preRelease");

    /** A source's use of a shared factory; {@link #release()} once when the source closes. */
    public interface Lease {
        ConnectionFactory factory();

        Mono<Void> release();
    }

    private final Map<ConnectionFactoryOptions, Shared> shared = new HashMap<>();

    private final class Shared {
        final ConnectionFactory factory;
        int users;

        Shared(ConnectionFactory factory) {
            this.factory = factory;
        }
    }

    SharedConnectionFactories() {
    }

    /** The pool for these driver options, created on first use. */
    public synchronized Lease acquire(ConnectionFactoryOptions driverOptions) {
        requireNonNull(driverOptions, "driverOptions must not be null");
        Shared s = shared.computeIfAbsent(driverOptions, o -> new Shared(create(o)));
        s.users++;
        return new Lease() {
            private boolean released;

            @Override
            public ConnectionFactory factory() {
                return s.factory;
            }

            @Override
            public Mono<Void> release() {
                return Mono.defer(() -> {
                    synchronized (SharedConnectionFactories.this) {
                        if (released) {
                            return Mono.empty();
                        }
                        released = true;
                        if (--s.users > 0) {
                            return Mono.empty();
                        }
                        shared.remove(driverOptions);
                    }
                    return s.factory instanceof io.r2dbc.spi.Closeable c ? Mono.from(c.close()) : Mono.empty();
                });
            }
        };
    }

    /** How many distinct pools are open; for tests and diagnostics. */
    public synchronized int size() {
        return shared.size();
    }

    private static ConnectionFactory create(ConnectionFactoryOptions driverOptions) {
        String driver = String.valueOf(driverOptions.getRequiredValue(ConnectionFactoryOptions.DRIVER));
        Object protocol = driverOptions.getValue(ConnectionFactoryOptions.PROTOCOL);
        ConnectionFactoryOptions.Builder pooled = ConnectionFactoryOptions.builder().from(driverOptions)
                .option(ConnectionFactoryOptions.DRIVER, "pool")
                // r2dbc-pool hands the driver what follows it: "h2:mem" becomes driver h2, protocol mem
                .option(ConnectionFactoryOptions.PROTOCOL, protocol == null ? driver : driver + ":" + protocol)
                .option(INITIAL_SIZE, 0)
                .option(MIN_IDLE, 0)
                .option(MAX_SIZE_OPTION, MAX_SIZE)
                .option(MAX_IDLE_TIME, MAX_IDLE)
                .option(BACKGROUND_EVICTION_INTERVAL, MAX_IDLE.dividedBy(3))
                // a run cancelled at the row cap leaves its transaction open: end it before the next user
                .option(PRE_RELEASE, connection -> Mono.from(connection.rollbackTransaction()).onErrorResume(e -> Mono.empty()));
        ConnectionFactoryOptions options = pooled.build();
        ConnectionFactory pool = ConnectionFactories.find(options);
        if (pool == null) {
            log.debug("r2dbc-pool is not on the class path: one connection per run for {}", driver);
            return ConnectionFactories.get(driverOptions);
        }
        return pool;
    }
}

package io.tributary.app.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

import javax.sql.DataSource;

import org.springframework.jdbc.core.JdbcTemplate;

import io.tributary.core.sink.RegistrationSink;
import io.tributary.core.sink.SinkBatch;
import io.tributary.core.sink.WriteResult;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * The registration store as a sink: each batch in its own transaction (registrations, members, teams), acknowledged
 * once committed. JDBC is blocking, so writes run on a bounded scheduler, never on an event-loop thread.
 */
public final class RegistrationStore implements RegistrationSink {

    private final DataSource dataSource;
    private final Upsert upsert;
    private final Clock clock;
    private final Scheduler scheduler;
    private final JdbcTemplate jdbc;
    private final int concurrentWrites;

    public RegistrationStore(DataSource dataSource, String vendor, Clock clock, Scheduler scheduler) {
        this.dataSource = dataSource;
        this.upsert = "postgresql".equals(vendor) ? new PostgresUpsert() : new H2Upsert();
        this.concurrentWrites = "postgresql".equals(vendor) ? 2 : 1;
        this.clock = clock;
        this.scheduler = scheduler;
        this.jdbc = new JdbcTemplate(dataSource);
    }

    /**
     * PostgreSQL: two batches of a run at once, on two connections, so that two server processes insert while this
     * one reads and maps (a run's reference always takes the same lane). H2 writes one at a time.
     */
    @Override
    public int concurrentWrites() {
        return concurrentWrites;
    }

    @Override
    public Mono<WriteResult> write(SinkBatch batch) {
        if (batch.registrations().isEmpty()) {
            return Mono.just(WriteResult.NONE);
        }
        return Mono.fromCallable(() -> writeBlocking(batch)).subscribeOn(scheduler);
    }

    /** Fails with {@link StoreErrors}' class of the store's failure: a refused row is permanent, an outage transient. */
    private WriteResult writeBlocking(SinkBatch batch) {
        String user = "?";
        try (Connection c = dataSource.getConnection()) {
            user = userName(c);
            boolean autoCommit = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                WriteResult result = upsert.write(c, batch, clock.instant());
                c.commit();
                upsert.afterCommit(c, result);
                return result;
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(c);
                throw e;
            } finally {
                resetQuietly(c, autoCommit);
            }
        } catch (SQLException e) {
            throw StoreErrors.classify(e, user);
        }
    }

    private static String userName(Connection c) {
        try {
            return c.getMetaData().getUserName();
        } catch (SQLException e) {
            return "?";
        }
    }

    private static void rollbackQuietly(Connection c) {
        try {
            c.rollback();
        } catch (SQLException ignored) {
            // the connection is broken: the pool discards it, and the original failure is what matters
        }
    }

    private static void resetQuietly(Connection c, boolean autoCommit) {
        try {
            c.setAutoCommit(autoCommit);
        } catch (SQLException ignored) {
            // as above
        }
    }

    /** Registrations per source, for the API; blocking. */
    public Map<String, Long> countsBySource() {
        Map<String, Long> counts = new LinkedHashMap<>();
        jdbc.query("SELECT source_id, count(*) FROM registrations GROUP BY source_id ORDER BY source_id",
                rs -> {
                    counts.put(rs.getString(1), rs.getLong(2));
                });
        return counts;
    }
}

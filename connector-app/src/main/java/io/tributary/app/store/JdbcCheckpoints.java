package io.tributary.app.store;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import javax.sql.DataSource;

import org.springframework.jdbc.core.JdbcTemplate;

import io.tributary.core.sink.CheckpointStore;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * Checkpoints in the store's {@code checkpoints} table. A checkpoint this instance read or wrote is remembered and
 * {@link #load} answers from memory afterwards: only this class writes checkpoints and runs of one source are
 * serialised, so an idle poll costs the store one UPDATE here instead of a SELECT and an UPDATE, committed without
 * waiting for the flush ({@link UnflushedCommits}). {@link #current}, for the API, always reads the store.
 */
public final class JdbcCheckpoints implements CheckpointStore {

    private final JdbcTemplate jdbc;
    private final Clock clock;
    private final Scheduler scheduler;
    private final Map<String, Instant> known = new ConcurrentHashMap<>();
    private final UnflushedCommits unflushed;

    public JdbcCheckpoints(DataSource dataSource, Clock clock, Scheduler scheduler) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.unflushed = new UnflushedCommits(dataSource);
        this.clock = clock;
        this.scheduler = scheduler;
    }

    @Override
    public Mono<Instant> load(String sourceId) {
        Instant remembered = known.get(sourceId);
        if (remembered != null) {
            return Mono.just(remembered);
        }
        return Mono.fromCallable(() -> {
            Instant found = current(sourceId);
            if (found != null) {
                known.put(sourceId, found);
            }
            return found;
        }).subscribeOn(scheduler).onErrorMap(StoreErrors::bookkeeping);
    }

    @Override
    public Mono<Void> save(String sourceId, Instant checkpoint) {
        return Mono.<Void>fromRunnable(() -> {
            Timestamp at = Timestamp.from(checkpoint);
            Timestamp now = Timestamp.from(clock.instant());
            // runs of one source are serialised, so update-then-insert cannot race with itself; a move lost in a crash
            // of the store's server is read again, so the commit does not wait for the flush
            unflushed.unflushed(tx -> {
                if (tx.update("UPDATE checkpoints SET checkpoint = ?, updated_at = ? WHERE source_id = ?", at, now, sourceId) == 0) {
                    tx.update("INSERT INTO checkpoints (source_id, checkpoint, updated_at) VALUES (?, ?, ?)", sourceId, at, now);
                }
                return null;
            });
            known.put(sourceId, checkpoint);
        }).subscribeOn(scheduler).onErrorMap(StoreErrors::bookkeeping);
    }

    /**
     * The checkpoint now, read on the calling thread, or {@code null} before the first successful run. For callers
     * already on a blocking thread (the API runs it on the store's pool): blocking on {@link #load} from there would
     * wait for a free thread of the very pool it occupies.
     */
    public Instant current(String sourceId) {
        List<Timestamp> found = jdbc.queryForList("SELECT checkpoint FROM checkpoints WHERE source_id = ?",
                Timestamp.class, sourceId);
        return found.isEmpty() ? null : found.get(0).toInstant();
    }
}

package io.tributary.app.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

import javax.sql.DataSource;

import org.springframework.jdbc.core.JdbcTemplate;

import io.tributary.core.mapping.Rejection;
import io.tributary.core.sink.ImportLog;
import io.tributary.core.sink.RegistrationSink;
import io.tributary.core.sink.RunKind;
import io.tributary.core.sink.RunRecord;
import io.tributary.core.sink.RunStatus;
import io.tributary.core.sink.SinkBatch;
import io.tributary.core.sink.WriteResult;
import io.tributary.core.window.Window;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * The import log in the store's {@code import_runs} and {@code import_rejections} tables.
 * <p>
 * Consecutive idle runs of a source (automatic, succeeded, read nothing, complete, no note) are one row standing for
 * {@code polls} runs, from {@code started_at} to {@code last_started_at}; the row is closed by any other run of the
 * source, by a change of the interval in force, after {@link #SUMMARY_SPAN}, and when this process stops (the next
 * process starts a new row). An idle poll costs the log one UPDATE of that row, committed without waiting for the
 * flush ({@link UnflushedCommits}).
 * <p>
 * Run ids come from blocks of {@link #ID_BLOCK} taken from {@code import_run_ids} (V7), so an automatic run is not
 * written when it starts: its RUNNING row is written before its first write to the sink (see
 * {@link #recordingRuns}), so that {@link #failInterruptedRuns} after a crash finds it and counts what it wrote, and
 * otherwise when it finishes. Other runs (manual, historical, test) are written when they start, as before. Runs of
 * one source never overlap, which the open summaries rely on.
 */
public final class JdbcImportLog implements ImportLog {

    private static final int MAX_TEXT = 4000;

    /** Run ids taken from the store at a time. */
    static final int ID_BLOCK = 64;

    /** The longest span of polls one summary row stands for: the console's timeline and retention work in hours. */
    public static final Duration SUMMARY_SPAN = Duration.ofHours(1);

    private final JdbcTemplate jdbc;
    private final UnflushedCommits unflushed;
    private final Scheduler scheduler;
    private final ReentrantLock ids = new ReentrantLock();
    private long nextId;
    private long blockEnd;
    /** Automatic runs started in this process and not yet written. */
    private final Map<Long, Pending> pending = new ConcurrentHashMap<>();
    /** Per source, the summary row that its next idle run may extend. */
    private final Map<String, Summary> open = new ConcurrentHashMap<>();

    public JdbcImportLog(DataSource dataSource, Scheduler scheduler) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.unflushed = new UnflushedCommits(dataSource);
        this.scheduler = scheduler;
    }

    @Override
    public Mono<Long> started(String sourceId, RunKind kind, Window window, Instant startedAt) {
        if (kind == RunKind.AUTOMATIC) {
            Long id = idInBlock();
            if (id != null) {
                // nothing for the store yet: no thread hop, no round trip
                pending.put(id, new Pending(id, sourceId, kind, window, startedAt));
                return Mono.just(id);
            }
        }
        return Mono.fromCallable(() -> {
            long id = nextId();
            Pending run = new Pending(id, sourceId, kind, window, startedAt);
            if (kind == RunKind.AUTOMATIC) {
                pending.put(id, run);
            } else {
                open.remove(sourceId);
                run.insertRunning();
            }
            return id;
        }).subscribeOn(scheduler).onErrorMap(StoreErrors::bookkeeping);
    }

    /**
     * The sink, writing an automatic run's RUNNING row before the run's first batch reaches it: from then on the
     * store holds registrations pointing to the run ({@code last_run_id}), and a crash must leave a row that
     * {@link #failInterruptedRuns} finds.
     */
    public RegistrationSink recordingRuns(RegistrationSink sink) {
        return new RegistrationSink() {
            @Override
            public Mono<WriteResult> write(SinkBatch batch) {
                Pending run = pending.get(batch.runId());
                if (run == null || run.inserted()) {
                    return sink.write(batch);
                }
                // one attempt shared by the run's lanes: a lane cancelled meanwhile gets no error after its end
                return run.recorded().then(Mono.defer(() -> sink.write(batch)));
            }

            @Override
            public int concurrentWrites() {
                return sink.concurrentWrites();
            }
        };
    }

    @Override
    public Mono<Void> finished(RunRecord r) {
        return Mono.<Void>fromRunnable(() -> {
            Pending run = pending.remove(r.runId());
            if (run != null && run.failure != null) {
                // the store failed this run's RUNNING row already: report that now instead of waiting for it again
                throw run.failure;
            }
            boolean written = run == null || run.inserted();
            boolean idle = r.idle();
            if (!written && idle && extendSummary(r)) {
                return;
            }
            if (written) {
                jdbc.update("UPDATE import_runs SET status = ?, duration_ms = ?, read_count = ?, inserted = ?, updated = ?, "
                        + "unchanged = ?, deleted = ?, rejected = ?, duplicates = ?, error = ?, note = ?, complete = ?, "
                        + "checkpoint_after = ?, effective_interval_seconds = ? WHERE id = ?",
                        r.status().name(), r.duration().toMillis(), r.read(), r.inserted(), r.updated(), r.unchanged(),
                        r.deleted(), r.rejected(), r.duplicates(), truncate(r.error()), truncate(r.note()), r.complete(),
                        timestamp(r.checkpoint()), r.interval() == null ? null : r.interval().toSeconds(), r.runId());
            } else {
                jdbc.update("INSERT INTO import_runs (id, source_id, kind, status, window_lower, window_upper, started_at, "
                        + "duration_ms, read_count, inserted, updated, unchanged, deleted, rejected, duplicates, error, note, "
                        + "complete, checkpoint_after, effective_interval_seconds) OVERRIDING SYSTEM VALUE "
                        + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        r.runId(), r.sourceId(), r.kind().name(), r.status().name(), Timestamp.from(r.window().lower()),
                        Timestamp.from(r.window().upper()), Timestamp.from(r.startedAt()), r.duration().toMillis(), r.read(),
                        r.inserted(), r.updated(), r.unchanged(), r.deleted(), r.rejected(), r.duplicates(),
                        truncate(r.error()), truncate(r.note()), r.complete(), timestamp(r.checkpoint()),
                        r.interval() == null ? null : r.interval().toSeconds());
            }
            if (idle && !written) {
                open.put(r.sourceId(), new Summary(r.runId(), r.startedAt(), r.interval(), 1));
            } else {
                open.remove(r.sourceId());
            }
            if (!r.rejections().isEmpty()) {
                jdbc.batchUpdate("INSERT INTO import_rejections (run_id, row_number, reference, reason) VALUES (?, ?, ?, ?)",
                        r.rejections(), 500, (ps, rej) -> {
                            ps.setLong(1, r.runId());
                            ps.setLong(2, rej.row());
                            ps.setString(3, truncate(rej.reference(), 500));
                            ps.setString(4, truncate(rej.reason()));
                        });
            }
        }).subscribeOn(scheduler).onErrorMap(StoreErrors::bookkeeping);
    }

    /** Adds an idle run to its source's open summary, if it may; whether it did (one UPDATE). */
    private boolean extendSummary(RunRecord r) {
        Summary s = open.get(r.sourceId());
        if (s == null || !Objects.equals(s.interval(), r.interval()) || !r.startedAt().isBefore(s.startedAt().plus(SUMMARY_SPAN))) {
            return false;
        }
        // polls = ? guards against a row changed under this process (another instance on the same source)
        // lost in a crash of the store's server, the row counts a few polls less: no wait for the flush
        int updated = unflushed.unflushed(tx -> tx.update("UPDATE import_runs SET polls = polls + 1, last_started_at = ?, "
                + "window_upper = ?, duration_ms = GREATEST(duration_ms, ?), checkpoint_after = ? WHERE id = ? AND polls = ?",
                Timestamp.from(r.startedAt()), Timestamp.from(r.window().upper()), r.duration().toMillis(),
                timestamp(r.checkpoint()), s.id(), s.polls()));
        if (updated == 0) {
            return false;
        }
        open.put(r.sourceId(), new Summary(s.id(), s.startedAt(), s.interval(), s.polls() + 1));
        return true;
    }

    /** The next id of the block in hand, or {@code null} when a new block must be taken from the store. */
    private Long idInBlock() {
        ids.lock();
        try {
            return nextId < blockEnd ? nextId++ : null;
        } finally {
            ids.unlock();
        }
    }

    /** The next run id, taking a new block from the store when the one in hand is used up; blocking. */
    private long nextId() {
        ids.lock();
        try {
            if (nextId >= blockEnd) {
                // the row lock of the UPDATE makes the block this transaction's alone, across processes too
                // committed as usual: a block lost in a crash of the store's server could be handed out twice
                Long end = unflushed.transaction(tx -> {
                    tx.update("UPDATE import_run_ids SET next_id = next_id + ?", ID_BLOCK);
                    return tx.queryForObject("SELECT next_id FROM import_run_ids", Long.class);
                });
                blockEnd = end;
                nextId = end - ID_BLOCK;
            }
            return nextId++;
        } finally {
            ids.unlock();
        }
    }

    /** A run started in this process whose row is not written yet. */
    private final class Pending {
        final long id;
        final String sourceId;
        final RunKind kind;
        final Window window;
        final Instant startedAt;
        private volatile boolean inserted;
        private volatile RuntimeException failure;
        private Mono<Void> recorded;

        Pending(long id, String sourceId, RunKind kind, Window window, Instant startedAt) {
            this.id = id;
            this.sourceId = sourceId;
            this.kind = kind;
            this.window = window;
            this.startedAt = startedAt;
        }

        boolean inserted() {
            return inserted;
        }

        /** The RUNNING row written, once for all of the run's lanes. */
        synchronized Mono<Void> recorded() {
            if (recorded == null) {
                // the failure travels as a value through the cache: a lane cancelled while the store is waited for
                // gets nothing afterwards, instead of an error Reactor would log as dropped, with its stack trace
                recorded = Mono.fromCallable(() -> {
                    try {
                        insertRunning();
                        return java.util.Optional.<Throwable>empty();
                    } catch (RuntimeException e) {
                        return java.util.Optional.<Throwable>of(StoreErrors.bookkeeping(e));
                    }
                }).subscribeOn(scheduler).cache()
                        .flatMap(failed -> failed.isPresent() ? Mono.<Void>error(failed.get()) : Mono.<Void>empty());
            }
            return recorded;
        }

        /** Writes the RUNNING row once, whichever of a run's lanes asks first; blocking. */
        synchronized void insertRunning() {
            if (inserted) {
                return;
            }
            if (failure != null) {
                throw failure;
            }
            try {
                insert();
            } catch (RuntimeException e) {
                failure = e;
                throw e;
            }
        }

        private void insert() {
            jdbc.update("INSERT INTO import_runs (id, source_id, kind, status, window_lower, window_upper, started_at) "
                    + "OVERRIDING SYSTEM VALUE VALUES (?, ?, ?, ?, ?, ?, ?)", id, sourceId, kind.name(),
                    RunStatus.RUNNING.name(), Timestamp.from(window.lower()), Timestamp.from(window.upper()),
                    Timestamp.from(startedAt));
            inserted = true;
        }
    }

    /** The row that consecutive idle runs of a source share: its id, first start, interval and runs so far. */
    private record Summary(long id, Instant startedAt, Duration interval, long polls) {
    }

    private static Timestamp timestamp(Instant at) {
        return at == null ? null : Timestamp.from(at);
    }

    /**
     * Marks runs left RUNNING by a process that stopped mid-run as failed; called at start-up, before any run, and
     * at a graceful stop after the runs in progress were given their time. What such a run wrote is counted from the
     * registrations it was the last to write ({@code last_run_id}): rows it inserted, rows it updated, and those
     * among them marked deleted; {@code read} is set to their sum, a lower bound (rows it read without changing are
     * not known).
     *
     * Automatic runs of this process not yet written (at a graceful stop: runs in progress that had written nothing)
     * are written first, so they are marked too.
     *
     * @param why why the run was interrupted, for its error
     * @return how many were marked
     */
    public int failInterruptedRuns(String why) {
        for (Pending run : List.copyOf(pending.values())) {
            if (run.failure == null) {
                run.insertRunning();
            }
        }
        open.clear();
        return jdbc.update("UPDATE import_runs SET status = ?, error = ?, "
                + "inserted = (SELECT count(*) FROM registrations g WHERE g.last_run_id = import_runs.id "
                + "AND g.first_seen = g.updated_at), "
                + "updated = (SELECT count(*) FROM registrations g WHERE g.last_run_id = import_runs.id "
                + "AND g.first_seen <> g.updated_at), "
                + "deleted = (SELECT count(*) FROM registrations g WHERE g.last_run_id = import_runs.id AND g.deleted), "
                + "read_count = (SELECT count(*) FROM registrations g WHERE g.last_run_id = import_runs.id) "
                + "WHERE status = ?", RunStatus.FAILED.name(),
                "interrupted: " + why + "; the checkpoint was not moved, the next run reads the window again. Counts are "
                        + "the rows it had written; read is at least that", RunStatus.RUNNING.name());
    }

    /**
     * Deletes finished runs that started before {@code cutoff} (a summary of idle runs: whose last run did), with their
     * rejections; every source's newest row stays (the API and the status page show it), and so does a run in
     * progress; blocking.
     *
     * @return how many rows were deleted
     */
    public int deleteFinishedBefore(Instant cutoff) {
        return jdbc.update("DELETE FROM import_runs WHERE COALESCE(last_started_at, started_at) < ? AND status <> ? AND id NOT IN "
                + "(SELECT max(id) FROM import_runs GROUP BY source_id)", Timestamp.from(cutoff), RunStatus.RUNNING.name());
    }

    /**
     * Runs of a source, newest first, each with its sampled rejections; blocking.
     *
     * @param statuses the statuses to keep, all when empty
     * @param kinds    the kinds to keep, all when empty
     */
    public List<LoggedRun> runs(String sourceId, Set<RunStatus> statuses, Set<RunKind> kinds, int limit, int offset) {
        Filter filter = Filter.of(sourceId, statuses, kinds);
        List<Object> args = new ArrayList<>(filter.args);
        args.add(limit);
        args.add(offset);
        List<LoggedRun> runs = jdbc.query("SELECT * FROM import_runs WHERE " + filter.where + " ORDER BY id DESC LIMIT ? OFFSET ?",
                (rs, i) -> logged(rs), args.toArray());
        if (runs.isEmpty()) {
            return runs;
        }
        Map<Long, List<Rejection>> rejections = new HashMap<>();
        String ids = String.join(",", runs.stream().map(r -> Long.toString(r.run().runId())).toList());
        jdbc.query("SELECT run_id, row_number, reference, reason FROM import_rejections WHERE run_id IN (" + ids
                + ") ORDER BY run_id, row_number", rs -> {
                    rejections.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>())
                            .add(new Rejection(rs.getLong(2), rs.getString(3), rs.getString(4)));
                });
        List<LoggedRun> withRejections = new ArrayList<>(runs.size());
        for (LoggedRun r : runs) {
            withRejections.add(new LoggedRun(withRejections(r.run(), rejections.getOrDefault(r.run().runId(), List.of())),
                    r.polls(), r.lastStartedAt()));
        }
        return withRejections;
    }

    /**
     * A row of the import log: one run, or consecutive idle runs of a source kept as one ({@code polls > 1}).
     *
     * @param run           the run; for a summary, the first run's id, kind, status and start, the window from the
     *                      first run's lower bound to the last one's upper bound, the longest duration, the last
     *                      run's checkpoint and interval
     * @param polls         how many runs the row stands for
     * @param lastStartedAt when the last of them started (the run's own start for a row of one run)
     */
    public record LoggedRun(RunRecord run, long polls, Instant lastStartedAt) {
    }

    /** How many rows {@link #runs} would page through (a summary of idle runs is one); blocking. */
    public long count(String sourceId, Set<RunStatus> statuses, Set<RunKind> kinds) {
        Filter filter = Filter.of(sourceId, statuses, kinds);
        Long n = jdbc.queryForObject("SELECT count(*) FROM import_runs WHERE " + filter.where, Long.class, filter.args.toArray());
        return n == null ? 0 : n;
    }

    /**
     * The runs of a source started at or after {@code from} (a summary of idle runs: whose last run did), oldest first,
     * as points for plots: no rejections, no texts but whether it failed; at most {@code limit}, the newest kept when
     * there are more; blocking.
     *
     * @param kinds the kinds to keep, all when empty
     */
    public List<RunPoint> points(String sourceId, Instant from, Set<RunKind> kinds, int limit) {
        Filter filter = Filter.of(sourceId, Set.of(), kinds);
        List<Object> args = new ArrayList<>(filter.args);
        args.add(Timestamp.from(from));
        args.add(limit);
        List<RunPoint> points = new ArrayList<>(jdbc.query("SELECT id, kind, status, started_at, duration_ms, read_count, "
                + "effective_interval_seconds, polls, last_started_at FROM import_runs WHERE " + filter.where
                + " AND COALESCE(last_started_at, started_at) >= ? ORDER BY id DESC LIMIT ?",
                (rs, i) -> new RunPoint(rs.getLong("id"), RunKind.valueOf(rs.getString("kind")),
                        RunStatus.valueOf(rs.getString("status")), rs.getTimestamp("started_at").toInstant(),
                        rs.getLong("duration_ms"), rs.getLong("read_count"), intervalSeconds(rs), rs.getLong("polls"),
                        lastStartedAt(rs)), args.toArray()));
        java.util.Collections.reverse(points);
        return points;
    }

    /** One run on a plot, or a summary of {@code polls} idle runs started from {@code startedAt} to {@code lastStartedAt}. */
    public record RunPoint(long id, RunKind kind, RunStatus status, Instant startedAt, long durationMs, long read,
            Long effectiveIntervalSeconds, long polls, Instant lastStartedAt) {
    }

    private static Instant lastStartedAt(ResultSet rs) throws SQLException {
        Timestamp last = rs.getTimestamp("last_started_at");
        return last == null ? rs.getTimestamp("started_at").toInstant() : last.toInstant();
    }

    private static LoggedRun logged(ResultSet rs) throws SQLException {
        return new LoggedRun(record(rs, List.of()), rs.getLong("polls"), lastStartedAt(rs));
    }

    private static Long intervalSeconds(ResultSet rs) throws SQLException {
        long v = rs.getLong("effective_interval_seconds");
        return rs.wasNull() ? null : v;
    }

    /** The WHERE clause of a filtered listing: enum names as bind values, never spliced text. */
    private record Filter(String where, List<Object> args) {
        static Filter of(String sourceId, Set<RunStatus> statuses, Set<RunKind> kinds) {
            StringBuilder where = new StringBuilder("source_id = ?");
            List<Object> args = new ArrayList<>(List.of(sourceId));
            if (!statuses.isEmpty()) {
                where.append(" AND status IN (").append(String.join(", ", java.util.Collections.nCopies(statuses.size(), "?"))).append(')');
                statuses.forEach(st -> args.add(st.name()));
            }
            if (!kinds.isEmpty()) {
                where.append(" AND kind IN (").append(String.join(", ", java.util.Collections.nCopies(kinds.size(), "?"))).append(')');
                kinds.forEach(k -> args.add(k.name()));
            }
            return new Filter(where.toString(), args);
        }
    }

    /** The newest finished row of a source (possibly a summary of idle runs), if any; blocking. */
    public LoggedRun lastFinished(String sourceId) {
        List<LoggedRun> found = jdbc.query("SELECT * FROM import_runs WHERE source_id = ? AND status <> ? ORDER BY id DESC LIMIT 1",
                (rs, i) -> logged(rs), sourceId, RunStatus.RUNNING.name());
        return found.isEmpty() ? null : found.get(0);
    }

    private static RunRecord withRejections(RunRecord r, List<Rejection> rejections) {
        return new RunRecord(r.runId(), r.sourceId(), r.kind(), r.window(), r.startedAt(), r.duration(), r.status(),
                r.read(), r.inserted(), r.updated(), r.unchanged(), r.deleted(), r.rejected(), r.duplicates(),
                rejections, r.error(), r.note(), r.complete(), r.checkpoint(), r.interval());
    }

    private static RunRecord record(ResultSet rs, List<Rejection> rejections) throws SQLException {
        return new RunRecord(rs.getLong("id"), rs.getString("source_id"), RunKind.valueOf(rs.getString("kind")),
                new Window(rs.getTimestamp("window_lower").toInstant(), rs.getTimestamp("window_upper").toInstant()),
                rs.getTimestamp("started_at").toInstant(), Duration.ofMillis(rs.getLong("duration_ms")),
                RunStatus.valueOf(rs.getString("status")), rs.getLong("read_count"), rs.getLong("inserted"),
                rs.getLong("updated"), rs.getLong("unchanged"), rs.getLong("deleted"), rs.getLong("rejected"),
                rs.getLong("duplicates"), rejections, rs.getString("error"), rs.getString("note"),
                !Boolean.FALSE.equals(rs.getObject("complete", Boolean.class)), instant(rs.getTimestamp("checkpoint_after")),
                interval(rs));
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }

    private static Duration interval(ResultSet rs) throws SQLException {
        long v = rs.getLong("effective_interval_seconds");
        return rs.wasNull() ? null : Duration.ofSeconds(v);
    }

    private static String truncate(String s) {
        return truncate(s, MAX_TEXT);
    }

    private static String truncate(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max - 3) + "...";
    }
}

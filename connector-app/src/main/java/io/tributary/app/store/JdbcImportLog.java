package io.tributary.app.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.sql.DataSource;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.jdbc.support.KeyHolder;

import io.tributary.core.mapping.Rejection;
import io.tributary.core.sink.ImportLog;
import io.tributary.core.sink.RunKind;
import io.tributary.core.sink.RunRecord;
import io.tributary.core.sink.RunStatus;
import io.tributary.core.window.Window;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/** The import log in the store's {@code import_runs} and {@code import_rejections} tables. */
public final class JdbcImportLog implements ImportLog {

    private static final int MAX_TEXT = 4000;

    private final JdbcTemplate jdbc;
    private final Scheduler scheduler;

    public JdbcImportLog(DataSource dataSource, Scheduler scheduler) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.scheduler = scheduler;
    }

    @Override
    public Mono<Long> started(String sourceId, RunKind kind, Window window, Instant startedAt) {
        return Mono.fromCallable(() -> {
            KeyHolder key = new GeneratedKeyHolder();
            jdbc.update(c -> {
                PreparedStatement ps = c.prepareStatement("INSERT INTO import_runs (source_id, kind, status, "
                        + "window_lower, window_upper, started_at) VALUES (?, ?, ?, ?, ?, ?)",
                        new String[] {"id"});
                ps.setString(1, sourceId);
                ps.setString(2, kind.name());
                ps.setString(3, RunStatus.RUNNING.name());
                ps.setTimestamp(4, Timestamp.from(window.lower()));
                ps.setTimestamp(5, Timestamp.from(window.upper()));
                ps.setTimestamp(6, Timestamp.from(startedAt));
                return ps;
            }, key);
            return key.getKey().longValue();
        }).subscribeOn(scheduler).onErrorMap(StoreErrors::bookkeeping);
    }

    @Override
    public Mono<Void> finished(RunRecord r) {
        return Mono.<Void>fromRunnable(() -> {
            jdbc.update("UPDATE import_runs SET status = ?, duration_ms = ?, read_count = ?, inserted = ?, updated = ?, "
                    + "unchanged = ?, deleted = ?, rejected = ?, duplicates = ?, error = ?, note = ?, complete = ?, "
                    + "checkpoint_after = ?, effective_interval_seconds = ? WHERE id = ?",
                    r.status().name(), r.duration().toMillis(), r.read(), r.inserted(), r.updated(), r.unchanged(),
                    r.deleted(), r.rejected(), r.duplicates(), truncate(r.error()), truncate(r.note()), r.complete(),
                    r.checkpoint() == null ? null : Timestamp.from(r.checkpoint()),
                    r.interval() == null ? null : r.interval().toSeconds(), r.runId());
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

    /**
     * Marks runs left RUNNING by a process that stopped mid-run as failed; called at start-up, before any run, and
     * at a graceful stop after the runs in progress were given their time. What such a run wrote is counted from the
     * registrations it was the last to write ({@code last_run_id}): rows it inserted, rows it updated, and those
     * among them marked deleted; {@code read} is set to their sum, a lower bound (rows it read without changing are
     * not known).
     *
     * @param why why the run was interrupted, for its error
     * @return how many were marked
     */
    public int failInterruptedRuns(String why) {
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
     * Deletes finished runs that started before {@code cutoff}, with their rejections; every source's newest run stays
     * (the API and the status page show it), and so does a run in progress; blocking.
     *
     * @return how many runs were deleted
     */
    public int deleteFinishedBefore(Instant cutoff) {
        return jdbc.update("DELETE FROM import_runs WHERE started_at < ? AND status <> ? AND id NOT IN "
                + "(SELECT max(id) FROM import_runs GROUP BY source_id)", Timestamp.from(cutoff), RunStatus.RUNNING.name());
    }

    /**
     * Runs of a source, newest first, each with its sampled rejections; blocking.
     *
     * @param statuses the statuses to keep, all when empty
     * @param kinds    the kinds to keep, all when empty
     */
    public List<RunRecord> runs(String sourceId, Set<RunStatus> statuses, Set<RunKind> kinds, int limit, int offset) {
        Filter filter = Filter.of(sourceId, statuses, kinds);
        List<Object> args = new ArrayList<>(filter.args);
        args.add(limit);
        args.add(offset);
        List<RunRecord> runs = jdbc.query("SELECT * FROM import_runs WHERE " + filter.where + " ORDER BY id DESC LIMIT ? OFFSET ?",
                (rs, i) -> record(rs, List.of()), args.toArray());
        if (runs.isEmpty()) {
            return runs;
        }
        Map<Long, List<Rejection>> rejections = new HashMap<>();
        String ids = String.join(",", runs.stream().map(r -> Long.toString(r.runId())).toList());
        jdbc.query("SELECT run_id, row_number, reference, reason FROM import_rejections WHERE run_id IN (" + ids
                + ") ORDER BY run_id, row_number", rs -> {
                    rejections.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>())
                            .add(new Rejection(rs.getLong(2), rs.getString(3), rs.getString(4)));
                });
        List<RunRecord> withRejections = new ArrayList<>(runs.size());
        for (RunRecord r : runs) {
            withRejections.add(withRejections(r, rejections.getOrDefault(r.runId(), List.of())));
        }
        return withRejections;
    }

    /** How many runs {@link #runs} would page through; blocking. */
    public long count(String sourceId, Set<RunStatus> statuses, Set<RunKind> kinds) {
        Filter filter = Filter.of(sourceId, statuses, kinds);
        Long n = jdbc.queryForObject("SELECT count(*) FROM import_runs WHERE " + filter.where, Long.class, filter.args.toArray());
        return n == null ? 0 : n;
    }

    /**
     * The runs of a source started at or after {@code from}, oldest first, as points for plots: no rejections, no
     * texts but whether it failed; at most {@code limit}, the newest kept when there are more; blocking.
     *
     * @param kinds the kinds to keep, all when empty
     */
    public List<RunPoint> points(String sourceId, Instant from, Set<RunKind> kinds, int limit) {
        Filter filter = Filter.of(sourceId, Set.of(), kinds);
        List<Object> args = new ArrayList<>(filter.args);
        args.add(Timestamp.from(from));
        args.add(limit);
        List<RunPoint> points = new ArrayList<>(jdbc.query("SELECT id, kind, status, started_at, duration_ms, read_count, "
                + "effective_interval_seconds FROM import_runs WHERE " + filter.where + " AND started_at >= ? ORDER BY id DESC LIMIT ?",
                (rs, i) -> new RunPoint(rs.getLong("id"), RunKind.valueOf(rs.getString("kind")),
                        RunStatus.valueOf(rs.getString("status")), rs.getTimestamp("started_at").toInstant(),
                        rs.getLong("duration_ms"), rs.getLong("read_count"), intervalSeconds(rs)), args.toArray()));
        java.util.Collections.reverse(points);
        return points;
    }

    /** One run on a plot. */
    public record RunPoint(long id, RunKind kind, RunStatus status, Instant startedAt, long durationMs, long read,
            Long effectiveIntervalSeconds) {
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

    /** The newest finished run of a source, if any; blocking. */
    public RunRecord lastFinished(String sourceId) {
        List<RunRecord> found = jdbc.query("SELECT * FROM import_runs WHERE source_id = ? AND status <> ? ORDER BY id DESC LIMIT 1",
                (rs, i) -> record(rs, List.of()), sourceId, RunStatus.RUNNING.name());
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

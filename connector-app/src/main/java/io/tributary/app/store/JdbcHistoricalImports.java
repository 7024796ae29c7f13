package io.tributary.app.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import javax.sql.DataSource;

import org.springframework.jdbc.core.JdbcTemplate;

import io.tributary.core.history.HistoricalImport;
import io.tributary.core.history.HistoricalImportStore;
import io.tributary.core.history.ImportStatus;
import io.tributary.core.window.Window;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/** Historical imports' progress in the store's {@code historical_imports} table, one row per import. */
public final class JdbcHistoricalImports implements HistoricalImportStore {

    private static final int MAX_TEXT = 4000;

    private final JdbcTemplate jdbc;
    private final Scheduler scheduler;

    public JdbcHistoricalImports(DataSource dataSource, Scheduler scheduler) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.scheduler = scheduler;
    }

    @Override
    public Mono<Void> save(HistoricalImport s) {
        return Mono.<Void>fromRunnable(() -> saveBlocking(s)).subscribeOn(scheduler).onErrorMap(StoreErrors::bookkeeping);
    }

    private void saveBlocking(HistoricalImport s) {
        HistoricalImport.Resume r = s.lastResume();
        Object[] values = {s.sourceId(), s.status().name(), ts(s.range().lower()), ts(s.range().upper()), ts(s.cursor()),
            s.chunkSize().toMillis(), s.rowCap(), s.chunksDone(), s.halvings(), s.rows().read(), s.rows().inserted(),
            s.rows().updated(), s.rows().unchanged(), s.rows().rejected(), s.activeTime().toMillis(), ts(s.createdAt()),
            ts(s.updatedAt()), s.resumes(), r == null ? null : ts(r.at()), r == null ? null : r.chunk(),
            r == null ? null : ts(r.cursor()), s.failures(), truncate(s.error()), s.id()};
        // one process runs an import, so update-then-insert cannot race with itself
        int updated = jdbc.update("UPDATE historical_imports SET source_id = ?, status = ?, range_lower = ?, range_upper = ?, "
                + "next_lower = ?, chunk_ms = ?, row_cap = ?, chunks_done = ?, halvings = ?, rows_read = ?, inserted = ?, "
                + "updated = ?, unchanged = ?, rejected = ?, active_ms = ?, created_at = ?, updated_at = ?, resumes = ?, "
                + "last_resumed_at = ?, last_resumed_chunk = ?, last_resumed_from = ?, failures = ?, error = ? WHERE id = ?",
                values);
        if (updated == 0) {
            jdbc.update("INSERT INTO historical_imports (source_id, status, range_lower, range_upper, next_lower, chunk_ms, "
                    + "row_cap, chunks_done, halvings, rows_read, inserted, updated, unchanged, rejected, active_ms, "
                    + "created_at, updated_at, resumes, last_resumed_at, last_resumed_chunk, last_resumed_from, failures, "
                    + "error, id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", values);
        }
    }

    @Override
    public Mono<HistoricalImport> find(String id) {
        return Mono.fromCallable(() -> findBlocking(id).orElse(null)).subscribeOn(scheduler)
                .onErrorMap(StoreErrors::bookkeeping);
    }

    /** The import with this id; blocking. */
    public Optional<HistoricalImport> findBlocking(String id) {
        return jdbc.query("SELECT * FROM historical_imports WHERE id = ?", JdbcHistoricalImports::read, id).stream()
                .findFirst();
    }

    @Override
    public Flux<HistoricalImport> unfinished() {
        return Mono.fromCallable(() -> jdbc.query("SELECT * FROM historical_imports WHERE status = ? ORDER BY created_at",
                JdbcHistoricalImports::read, ImportStatus.RUNNING.name())).subscribeOn(scheduler)
                .onErrorMap(StoreErrors::bookkeeping).flatMapIterable(l -> l);
    }

    /** Imports, newest first, of one source or of all ({@code sourceId} null); blocking. */
    public List<HistoricalImport> list(String sourceId, int limit) {
        if (sourceId == null) {
            return jdbc.query("SELECT * FROM historical_imports ORDER BY created_at DESC LIMIT ?", JdbcHistoricalImports::read,
                    limit);
        }
        return jdbc.query("SELECT * FROM historical_imports WHERE source_id = ? ORDER BY created_at DESC LIMIT ?",
                JdbcHistoricalImports::read, sourceId, limit);
    }

    private static HistoricalImport read(ResultSet rs, int row) throws SQLException {
        Timestamp resumedAt = rs.getTimestamp("last_resumed_at");
        HistoricalImport.Resume resume = resumedAt == null ? null : new HistoricalImport.Resume(resumedAt.toInstant(),
                rs.getInt("last_resumed_chunk"), rs.getTimestamp("last_resumed_from").toInstant());
        return new HistoricalImport(rs.getString("id"), rs.getString("source_id"),
                new Window(instant(rs, "range_lower"), instant(rs, "range_upper")), ImportStatus.valueOf(rs.getString("status")),
                instant(rs, "next_lower"), Duration.ofMillis(rs.getLong("chunk_ms")), rs.getLong("row_cap"),
                rs.getInt("chunks_done"), rs.getInt("halvings"),
                new HistoricalImport.Counts(rs.getLong("rows_read"), rs.getLong("inserted"), rs.getLong("updated"),
                        rs.getLong("unchanged"), rs.getLong("rejected")),
                Duration.ofMillis(rs.getLong("active_ms")), instant(rs, "created_at"), instant(rs, "updated_at"),
                rs.getInt("resumes"), resume, rs.getInt("failures"), rs.getString("error"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        return rs.getTimestamp(column).toInstant();
    }

    private static Timestamp ts(Instant instant) {
        return Timestamp.from(instant);
    }

    private static String truncate(String s) {
        return s == null || s.length() <= MAX_TEXT ? s : s.substring(0, MAX_TEXT - 3) + "...";
    }
}

package io.tributary.core.history;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.Instant;

import org.jspecify.annotations.Nullable;

import io.tributary.core.sink.RunRecord;
import io.tributary.core.window.RowCap;
import io.tributary.core.window.Window;

/**
 * The record of one historical import: its range, how far it got, and how. Immutable: every step makes a new one,
 * which is saved before the next chunk starts.
 *
 * @param cursor     where the next chunk starts; every row before it was imported
 * @param chunkSize  the size of the next chunk
 * @param chunksDone chunks imported (a halved chunk counts once, when its smaller part is done)
 * @param halvings   how often a chunk stopped at the cap and was split
 * @param rows       counts of the chunks done; a chunk stopped at the cap and halved is not done, so its run is not
 *                   counted: the smaller chunks read its rows again (and find those it wrote unchanged)
 * @param activeTime time spent importing, across restarts (for the estimate of the time left)
 * @param resumes    how often it was resumed after Tributary stopped in the middle of it
 * @param lastResume the last resumption, {@code null} when it never was
 * @param failures   consecutive failed attempts of the current chunk
 * @param error      why it failed, {@code null} unless {@link ImportStatus#FAILED}
 */
public record HistoricalImport(
        String id,
        String sourceId,
        Window range,
        ImportStatus status,
        Instant cursor,
        Duration chunkSize,
        long rowCap,
        int chunksDone,
        int halvings,
        Counts rows,
        Duration activeTime,
        Instant createdAt,
        Instant updatedAt,
        int resumes,
        @Nullable Resume lastResume,
        int failures,
        @Nullable String error) {

    public HistoricalImport {
        requireNonNull(id, "id must not be null");
        requireNonNull(sourceId, "sourceId must not be null");
        requireNonNull(range, "range must not be null");
        requireNonNull(status, "status must not be null");
        requireNonNull(cursor, "cursor must not be null");
        requireNonNull(chunkSize, "chunkSize must not be null");
        requireNonNull(rows, "rows must not be null");
        requireNonNull(activeTime, "activeTime must not be null");
        requireNonNull(createdAt, "createdAt must not be null");
        requireNonNull(updatedAt, "updatedAt must not be null");
        if (cursor.isBefore(range.lower()) || cursor.isAfter(range.upper())) {
            throw new IllegalArgumentException("cursor within " + range + " required but it was " + cursor);
        }
    }

    /** A new import of {@code range}, nothing done yet. */
    public static HistoricalImport create(String id, String sourceId, Window range, ChunkPolicy policy, Instant now) {
        return new HistoricalImport(id, sourceId, range, ImportStatus.RUNNING, range.lower(), policy.firstChunk(range),
                policy.rowCap(), 0, 0, Counts.NONE, Duration.ZERO, now, now, 0, null, 0, null);
    }

    public boolean finished() {
        return status != ImportStatus.RUNNING;
    }

    /**
     * The window of the next chunk. After the first, a chunk starts one {@link RowCap#TICK} before the cursor, so that
     * rows dated at the cursor are read whether the statement compares with {@code >} or {@code >=}.
     */
    public Window nextChunk() {
        Instant end = cursor.plus(chunkSize);
        Instant lower = cursor.equals(range.lower()) ? cursor : cursor.minus(RowCap.TICK);
        return new Window(lower, end.isAfter(range.upper()) ? range.upper() : end);
    }

    /** The rest of the range as one chunk, for a statement whose rows a smaller window would not narrow. */
    public Window rest() {
        return new Window(cursor.equals(range.lower()) ? cursor : cursor.minus(RowCap.TICK), range.upper());
    }

    /** Chunks done plus those the rest of the range needs at the current size: an estimate while running. */
    public int estimatedChunks() {
        if (finished()) {
            return chunksDone;
        }
        long left = Duration.between(cursor, range.upper()).toMillis();
        long size = Math.max(1, chunkSize.toMillis());
        return (int) Math.min(Integer.MAX_VALUE, chunksDone + (left + size - 1) / size);
    }

    /** Share of the range done, 0 to 100, one decimal. */
    public double percent() {
        if (status == ImportStatus.SUCCEEDED) {
            return 100.0;
        }
        double fraction = fraction();
        return Math.floor(fraction * 1000) / 10;
    }

    /** Time left at the pace so far; {@code null} before the first chunk and once finished. */
    public @Nullable Duration eta() {
        double fraction = fraction();
        if (finished() || fraction <= 0) {
            return null;
        }
        return Duration.ofMillis((long) (activeTime.toMillis() / fraction * (1 - fraction)));
    }

    private double fraction() {
        long whole = Duration.between(range.lower(), range.upper()).toMillis();
        return whole <= 0 ? 1.0 : (double) Duration.between(range.lower(), cursor).toMillis() / whole;
    }

    /** The chunk was imported: move on, sized for the next one. */
    public HistoricalImport advanced(RunRecord run, Duration nextSize, Duration took, Instant now) {
        Instant end = run.window().upper();
        boolean done = !end.isBefore(range.upper());
        return new HistoricalImport(id, sourceId, range, done ? ImportStatus.SUCCEEDED : ImportStatus.RUNNING, end,
                nextSize, rowCap, chunksDone + 1, halvings, rows.plus(run), activeTime.plus(took), createdAt, now,
                resumes, lastResume, 0, null);
    }

    /** The chunk stopped at the cap: run it again at {@code smaller}; its run's counts are left out. */
    public HistoricalImport halved(Duration smaller, Duration took, Instant now) {
        return new HistoricalImport(id, sourceId, range, status, cursor, smaller, rowCap, chunksDone, halvings + 1, rows,
                activeTime.plus(took), createdAt, now, resumes, lastResume, failures, error);
    }

    /** The chunk's run failed; it will be tried again. */
    public HistoricalImport failedAttempt(Duration took, Instant now) {
        return new HistoricalImport(id, sourceId, range, status, cursor, chunkSize, rowCap, chunksDone, halvings, rows,
                activeTime.plus(took), createdAt, now, resumes, lastResume, failures + 1, error);
    }

    public HistoricalImport ended(ImportStatus end, @Nullable String reason, Instant now) {
        return new HistoricalImport(id, sourceId, range, end, cursor, chunkSize, rowCap, chunksDone, halvings, rows,
                activeTime, createdAt, now, resumes, lastResume, failures, reason);
    }

    /** Tributary stopped in the middle of this import and now continues it at its cursor. */
    public HistoricalImport resumed(Instant now) {
        return new HistoricalImport(id, sourceId, range, status, cursor, chunkSize, rowCap, chunksDone, halvings, rows,
                activeTime, createdAt, now, resumes + 1, new Resume(now, chunksDone + 1, cursor), 0, error);
    }

    /**
     * Rows of the chunks done, summed over their runs.
     */
    public record Counts(long read, long inserted, long updated, long unchanged, long rejected) {
        public static final Counts NONE = new Counts(0, 0, 0, 0, 0);

        Counts plus(RunRecord r) {
            return new Counts(read + r.read(), inserted + r.inserted(), updated + r.updated(), unchanged + r.unchanged(),
                    rejected + r.rejected());
        }
    }

    /**
     * One resumption.
     *
     * @param at     when it resumed
     * @param chunk  the number of the chunk it resumed with (the first unfinished one)
     * @param cursor where that chunk starts
     */
    public record Resume(Instant at, int chunk, Instant cursor) {
        public Resume {
            requireNonNull(at, "at must not be null");
            requireNonNull(cursor, "cursor must not be null");
        }
    }
}
